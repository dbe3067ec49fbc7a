package dev.distillery.distill.matching;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.data.DataSource;
import dev.distillery.diffusion.data.MixtureSpec;
import dev.distillery.diffusion.data.Toy2d;
import dev.distillery.diffusion.metrics.Mmd;
import dev.distillery.diffusion.metrics.ModeCoverage;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.diffusion.training.Recipes;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.nn.models.MlpConfig;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The end-to-end bench of the distribution-matching and adversarial methods: the analytic
 * 25-Gaussians teacher on the continuous cosine schedule (MATH.md section 5), data from the same
 * mixture, F32, a narrow MLP student (W2 layout, width 128, timeScale 1000), and the metrics at 1,
 * 2 and 4 steps: modes covered and per-mode counts (ModeCoverage: a recall proxy), the
 * high-quality fraction (a precision proxy), and the unbiased MMD^2 with bandwidths {0.1, 0.5, 2}.
 */
public final class Toy25 {
    public static final MixtureSpec SPEC = Toy2d.gaussians25Spec();
    public static final int EVAL_SAMPLES = 2000;

    private Toy25() {
    }

    public static DistillSetup setup(int batch, int width, long seed) {
        GaussianMixtureDenoiser teacher = new GaussianMixtureDenoiser(GaussianMixture.of(SPEC), ContinuousCosine.INSTANCE);
        MlpConfig student = MlpConfig.w2().withWidth(width).withTimeDim(64).withSeed(seed);
        student = new MlpConfig(student.dataDim(), student.width(), student.hiddenLayers(), student.timeDim(), 1000.0,
                student.conditioning(), false, DType.F32, seed);
        return new DistillSetup(teacher, null, student, DataSource.mixture(SPEC, DType.F32), new int[] {2}, DType.F32,
                batch, seed);
    }

    private static DistillSetup trainedTeacherSetup;

    /**
     * A setup whose teacher is a network the students can start from, as ADD and
     * adversarial-every-step do: the 25-Gaussians recipe network at width 64
     * ({@link Recipes#mlpConfig25Gaussians}) trained for 800 recipe steps (seconds), cached. The
     * student config is the teacher's.
     */
    public static synchronized DistillSetup trainedTeacherSetup(int batch) {
        if (trainedTeacherSetup == null) {
            MlpConfig config = Recipes.mlpConfig25Gaussians(0).withWidth(64);
            Recipes.Teacher t = Recipes.train(config.build(), Recipes.gaussians25Data(),
                    Recipes.mlpTraining25Gaussians(800, 0), null);
            t.model().freeze();
            trainedTeacherSetup = new DistillSetup(t.denoiser(), t.model(), config, Recipes.gaussians25Data(),
                    new int[] {2}, DType.F32, batch, 7L);
        }
        DistillSetup s = trainedTeacherSetup;
        return new DistillSetup(s.teacher(), s.teacherNetwork(), s.studentConfig(), s.data(), s.sampleShape(), s.dtype(),
                batch, s.seed());
    }

    /** The teacher's deterministic DDIM from t = 1 in {@code steps} uniform steps, as a generator (the baseline). */
    public static Generator teacherDdim(DistillSetup setup) {
        return (noise, steps, key) -> RegressionPairs.teacherDdim(setup, noise, steps);
    }

    /** One evaluation at a number of steps. */
    public record Eval(int steps, int modes, double hq, double mmd, int minCount, int maxCount) {
        @Override
        public String toString() {
            return String.format("steps=%d modes=%d hq=%.3f mmd=%.4f perMode[min=%d max=%d]", steps, modes, hq, mmd,
                    minCount, maxCount);
        }
    }

    public record Run(String method, double seconds, int trainSteps, Map<Integer, Eval> evals, Map<String, Double> last) {
        public Eval at(int steps) {
            return evals.get(steps);
        }
    }

    public static Run train(Distiller d, int steps, long seed, int... evalSteps) {
        Rng rng = new Rng(seed);
        long t0 = System.nanoTime();
        Map<String, Double> last = Map.of();
        for (int i = 0; i < steps; i++) {
            last = d.step(rng);
            for (double v : last.values()) {
                if (!Double.isFinite(v)) {
                    throw new AssertionError(d.name() + ": non-finite loss at step " + i + ": " + last);
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Map<Integer, Eval> evals = new LinkedHashMap<>();
        for (int s : evalSteps) {
            evals.put(s, evaluate(d.generator(), s, seed + 17));
        }
        Run run = new Run(d.name(), secs, steps, evals, last);
        System.out.println("[toy25] " + d.name() + " " + steps + " steps in " + String.format("%.1f", secs) + " s; last "
                + last);
        evals.values().forEach(e -> System.out.println("[toy25] " + d.name() + " " + e + " nfe="
                + d.generator().nfe(e.steps())));
        return run;
    }

    public static Eval evaluate(Generator g, int steps, long seed) {
        Tensor noise = Tensor.randn(DType.F32, new Rng(seed), EVAL_SAMPLES, 2);
        double[][] x = rows(g.sample(noise, steps, RngKey.of(seed + 1)));
        return score(steps, x, seed);
    }

    public static Eval score(int steps, double[][] x, long seed) {
        ModeCoverage.Result mc = ModeCoverage.of(x, SPEC);
        double[][] ref = SPEC.sample(EVAL_SAMPLES, new java.util.SplittableRandom(seed + 2));
        double mmd = Mmd.squared(subsample(x, 1000), subsample(ref, 1000), new double[] {0.1, 0.5, 2.0});
        int min = Arrays.stream(mc.counts()).min().orElse(0);
        int max = Arrays.stream(mc.counts()).max().orElse(0);
        return new Eval(steps, mc.modesCovered(), mc.highQualityFraction(), mmd, min, max);
    }

    private static double[][] subsample(double[][] x, int n) {
        return Arrays.copyOf(x, Math.min(n, x.length));
    }

    public static double[][] rows(Tensor t) {
        double[] flat = t.toDoubleArray();
        int d = t.dim(1);
        double[][] out = new double[t.dim(0)][d];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }

    /** Quick timing/metric probe for a distiller factory (not a test). */
    public static Run probe(Function<DistillSetup, Distiller> make, int batch, int width, int steps) {
        return train(make.apply(setup(batch, width, 7L)), steps, 11L, 1, 2, 4);
    }
}
