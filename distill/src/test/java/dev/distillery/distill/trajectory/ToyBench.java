package dev.distillery.distill.trajectory;

import dev.distillery.diffusion.schedule.EdmConfig;
import dev.distillery.diffusion.training.Recipes;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.data.DataSource;
import dev.distillery.diffusion.data.MixtureSpec;
import dev.distillery.diffusion.data.Toy2d;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.metrics.ModeCoverage;
import dev.distillery.diffusion.metrics.SlicedWasserstein;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.models.MlpConfig;

import java.util.Locale;
import java.util.Map;

/**
 * The end-to-end bench of the trajectory methods: the analytic 25-Gaussians teacher (exact
 * mixture denoiser on the continuous cosine schedule), a small MLP student (W2's layout, width 128,
 * t scaled by 1000), F32 on the default backend, and the metrics of the diffusion module on 2,000
 * samples from fixed noise: modes covered and high-quality fraction (ModeCoverage: within 3 std =
 * 0.15 of a mode), sliced W2 to 2,000 data samples, and the RMS distance to the teacher's own ODE
 * endpoints from the same noise (DDIM with 256 steps, which is converged on this teacher).
 */
final class ToyBench {
    static final MixtureSpec SPEC = Toy2d.gaussians25Spec();
    static final GaussianMixture MIXTURE = GaussianMixture.of(SPEC);
    static final int EVAL = 2000;
    /** EDM constants with sigma_data = 2.83, the 25-Gaussians data's standard deviation. */
    static final EdmConfig TOY_EDM = new EdmConfig(0.002, 80.0, 2.83, 7.0);
    static final Tensor EVAL_NOISE = Tensor.randn(DType.F32, 4242L, 0L, EVAL, 2);
    static final double[][] DATA = rows(DataSource.mixture(SPEC, DType.F64).batch(EVAL, new Rng(777L)).x());
    private static Tensor teacherEndpoints;

    private ToyBench() {
    }

    static Denoiser teacher() {
        return new GaussianMixtureDenoiser(MIXTURE, ContinuousCosine.INSTANCE);
    }

    /** The class-conditional teacher: class k is component k (25 classes). */
    static Denoiser conditionalTeacher() {
        int[] cls = new int[SPEC.k()];
        for (int k = 0; k < cls.length; k++) {
            cls[k] = k;
        }
        return new GaussianMixtureDenoiser(MIXTURE, ContinuousCosine.INSTANCE, cls, SPEC.k());
    }

    private static final java.util.Map<Boolean, Recipes.Teacher> TRAINED = new java.util.HashMap<>();

    /**
     * The demo's teacher recipe ({@link Recipes#mlpConfig25Gaussians}: W2 with input Fourier
     * features) at width 128, trained for {@value #TRAINED_TEACHER_STEPS} recipe steps, once per
     * JVM; with {@code classConditional} the guided-distillation teacher (25 labels, label dropout).
     * Students start from it as they do in the demo, so the CI runs below exercise the demo's recipes
     * at a smaller scale.
     */
    static synchronized Recipes.Teacher trainedTeacher(boolean classConditional) {
        return TRAINED.computeIfAbsent(classConditional, c -> {
            MlpConfig config = Recipes.mlpConfig25Gaussians(0).withWidth(128);
            var training = Recipes.mlpTraining25Gaussians(TRAINED_TEACHER_STEPS, 0);
            if (c) {
                config = config.withConditioning(Conditioning.none().withClasses(SPEC.k()));
                training = training.withLabelDropout(Recipes.GAUSSIANS25_LABEL_DROPOUT);
            }
            Recipes.Teacher t = Recipes.train(config.build(), Recipes.gaussians25Data(), training, null);
            t.model().freeze();
            return t;
        });
    }

    /** Recipe steps of {@link #trainedTeacher}. */
    static final int TRAINED_TEACHER_STEPS = 1500;

    /**
     * A setup whose teacher is {@link #trainedTeacher} and whose students have its architecture with
     * the conditionings {@code c} (what the demo's commands build).
     */
    static DistillSetup trainedSetup(boolean classConditional, Conditioning c, int batch) {
        Recipes.Teacher t = trainedTeacher(classConditional);
        MlpConfig config = ((MlpConfig) ((dev.distillery.nn.models.ConditionalModel) t.model()).config())
                .withConditioning(c);
        return new DistillSetup(t.denoiser(), t.model(), config, Recipes.gaussians25Data(), new int[] {2}, DType.F32,
                batch, 1L);
    }

    static MlpConfig student(int width, Conditioning c, long seed) {
        return new MlpConfig(2, width, 3, 64, 1000.0, c, false, DType.F32, seed);
    }

    static DistillSetup setup(Denoiser teacher, MlpConfig student, int batch) {
        return new DistillSetup(teacher, null, student, DataSource.mixture(SPEC, DType.F32), new int[] {2}, DType.F32,
                batch, 1L);
    }

    /** Trains for {@code steps} and returns the seconds taken; prints the loss now and then. */
    static double train(String name, Distiller d, int steps, long seed) {
        Rng rng = new Rng(seed);
        long t0 = System.nanoTime();
        Map<String, Double> last = null;
        for (int i = 0; i < steps; i++) {
            last = d.step(rng);
            if ((i + 1) % Math.max(1, steps / 5) == 0) {
                System.out.println(name + " step " + (i + 1) + " " + last);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    record Metrics(int modes, double hq, double sw2, double rmsToTeacher) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "modes %2d  hq %.3f  sw2 %.3f  rms-to-ode %.3f", modes, hq, sw2, rmsToTeacher);
        }
    }

    static Metrics metrics(Tensor samples) {
        double[][] s = rows(samples);
        ModeCoverage.Result mc = ModeCoverage.of(s, SPEC);
        double sw = SlicedWasserstein.distance(s, DATA, 64, 9L);
        double[][] ref = rows(teacherEndpoints());
        double sq = 0;
        for (int i = 0; i < s.length; i++) {
            for (int d = 0; d < 2; d++) {
                double e = s[i][d] - ref[i][d];
                sq += e * e;
            }
        }
        return new Metrics(mc.modesCovered(), mc.highQualityFraction(), sw, Math.sqrt(sq / s.length));
    }

    static synchronized Tensor teacherEndpoints() {
        if (teacherEndpoints == null) {
            teacherEndpoints = TeacherOde.endpoint(teacher(), EVAL_NOISE, TeacherOde.Solver.DDIM, 256, Condition.NONE);
        }
        return teacherEndpoints;
    }

    /** The teacher's deterministic DDIM with {@code steps} steps from the evaluation noise. */
    static Metrics teacherDdim(int steps) {
        return metrics(TeacherOde.endpoint(teacher(), EVAL_NOISE, TeacherOde.Solver.DDIM, steps, Condition.NONE));
    }

    /** Metrics of a generator at 1, 2, 4 steps, printed beside the teacher's DDIM at the same NFE. */
    static Metrics[] report(String name, Generator g, double seconds) {
        Metrics[] out = new Metrics[3];
        int[] steps = {1, 2, 4};
        for (int i = 0; i < 3; i++) {
            out[i] = metrics(g.sample(EVAL_NOISE, steps[i], RngKey.of(99L)));
            int nfe = g.nfe(steps[i]);
            System.out.printf(Locale.ROOT, "%-12s %d step(s), nfe %d: %s | teacher DDIM-%d: %s%n", name, steps[i], nfe,
                    out[i], nfe, teacherDdim(nfe));
        }
        System.out.printf(Locale.ROOT, "%-12s trained in %.1f s%n", name, seconds);
        return out;
    }

    static double[][] rows(Tensor t) {
        double[] flat = t.toDoubleArray();
        int n = t.dim(0);
        int d = flat.length / n;
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }
}
