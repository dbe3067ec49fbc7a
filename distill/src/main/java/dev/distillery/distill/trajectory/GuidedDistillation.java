package dev.distillery.distill.trajectory;

import dev.distillery.distill.Student;
import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.data.DataSource;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.distill.StudentState;
import dev.distillery.distill.core.LossWeighting;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.optim.Adam;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Guided distillation (Meng et al. 2023, "On distillation of guided diffusion models", section 4;
 * MATH.md section 6.3) of a class-conditional teacher under classifier-free guidance.
 *
 * <p><b>Stage one.</b> A student conditioned on the guidance weight w learns the guided teacher in
 * one network evaluation: per sample {@code w ~ U[w_min, w_max]}, {@code t ~ U(0, 1]},
 * {@code z_t = alpha_t x + sigma_t eps} with (x, label) from the data,
 * <pre>
 *   x_hat_w = (1 + w) x_hat(z_t, c) - w x_hat(z_t, null),
 *   L_1 = mean_b w(lambda_t) || x_hat_theta(z_t, t, c, w) - x_hat_w ||^2 .
 * </pre>
 * <b>Stage two.</b> Progressive distillation ({@link HalvingRounds}) of the stage-one student: its
 * first teacher is the frozen stage-one student at the sample's w and label, and every round's
 * student is w-conditioned too. The budget is split {@code stageOneShare} / rest.
 *
 * <p>The student config must embed labels and w ({@code Conditioning.withClasses(K).withGuidanceScale()});
 * the null label is {@link Conditioning#NULL_LABEL}. The generator samples at the configured w
 * (or {@link #generator(double, int[])}) with random labels drawn from the key, or given labels:
 * one network evaluation per step, against two per step for the teacher's CFG.
 */
public final class GuidedDistillation implements Distiller {
    /** The registry name (the {@code Methods} entry and the {@code --methods} spelling). */
    public static final String NAME = "guided";


    /**
     * @param classes        number of classes K (labels are drawn in 0..K-1 when the generator gets none)
     * @param wMin           lower end of the training range of w (the paper: 0)
     * @param wMax           upper end (the paper: 4)
     * @param sampleW        w of the default generator (the paper reports several; 1 here)
     * @param startSteps     N_0 of stage two (the paper: 1024 DDIM steps of the stage-one student; 16 here,
     *                       as the w-conditioned student is already a few-step sampler of a smooth toy)
     * @param prediction     what a fresh student predicts (the paper: v)
     * @param weighting      the x-loss weight of both stages (SNR_PLUS_ONE = the v-MSE, I7)
     * @param learningRate   Adam learning rate (the paper: 1e-4 at batch 2048; 1e-3 for small MLPs here)
     * @param stageOneShare  share of trainingSteps given to stage one
     * @param fromTeacher    start from the teacher network when there is one (non-strict: the w embedding is new)
     */
    public record Config(int classes, double wMin, double wMax, double sampleW, int startSteps, Prediction prediction,
                         LossWeighting weighting, double learningRate, double stageOneShare, boolean fromTeacher) {
        public static Config defaults(int classes) {
            return new Config(classes, 0.0, 4.0, 1.0, 16, Prediction.V, LossWeighting.SNR_PLUS_ONE, 1e-3, 0.4, true);
        }

        public Config withStartSteps(int n) {
            return new Config(classes, wMin, wMax, sampleW, n, prediction, weighting, learningRate, stageOneShare,
                    fromTeacher);
        }

        public Config withSampleW(double w) {
            return new Config(classes, wMin, wMax, w, startSteps, prediction, weighting, learningRate, stageOneShare,
                    fromTeacher);
        }
    }

    private final DistillSetup setup;
    private final Config config;
    private final Student student;
    private final long stageOneSteps;
    private final long stageTwoSteps;
    private final Adam opt;
    /** The frozen stage-one student, stage two's first teacher (null before stage two). */
    private Student stageOneStudent;
    private HalvingRounds rounds;
    private long steps;

    public GuidedDistillation(DistillSetup setup, Config config, long trainingSteps) {
        ProgressiveDistillation.requireZeroTerminalSnr(setup.teacher().schedule());
        if (config.classes() < 1 || !(config.wMin() <= config.wMax())) {
            throw new IllegalArgumentException("guided distillation needs classes >= 1 and wMin <= wMax, got " + config);
        }
        this.setup = setup;
        this.config = config;
        this.student = Student.fromConfig(setup, config.prediction(), config.fromTeacher());
        ProgressiveDistillation.requireNotEps(student.kind(), setup.teacherNetwork() != null && config.fromTeacher());
        this.stageOneSteps = Math.max(1, Math.round(trainingSteps * config.stageOneShare()));
        this.stageTwoSteps = Math.max(1, trainingSteps - stageOneSteps);
        this.opt = Adam.adam(student.module().namedParameters(), config.learningRate());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Double> step(Rng rng) {
        DataSource.Batch batch = Grids.data(setup, setup.batchSize(), rng, "guided distillation");
        if (batch.labels() == null) {
            throw new IllegalArgumentException("guided distillation needs labelled data (class-conditional teacher)");
        }
        int b = batch.x().dim(0);
        double[] w = new double[b];
        for (int i = 0; i < b; i++) {
            w[i] = config.wMin() + (config.wMax() - config.wMin()) * rng.nextDouble();
        }
        Condition c = new Condition(batch.labels(), PerSample.vector(w, batch.x().dtype()), null);
        if (steps++ < stageOneSteps) {
            return stageOne(rng, batch.x(), c, w);
        }
        if (rounds == null) {
            startStageTwo(student.frozenCopy());
        }
        Map<String, Double> out = new LinkedHashMap<>(rounds.step(rng, batch.x(), c));
        out.put("stage", 2.0);
        return out;
    }

    /** Stage two's rounds, with {@code frozen} (the stage-one student) as their first teacher. */
    private void startStageTwo(Student frozen) {
        stageOneStudent = frozen;
        rounds = new HalvingRounds(frozen.denoiser(), student, config.startSteps(), stageTwoSteps,
                config.weighting(), config.learningRate());
    }

    private Map<String, Double> stageOne(Rng rng, Tensor x, Condition c, double[] w) {
        int b = x.dim(0);
        DType dt = x.dtype();
        double[] t = new double[b];
        double[] a = new double[b];
        double[] s = new double[b];
        double[] weight = new double[b];
        for (int i = 0; i < b; i++) {
            t[i] = 1.0 - rng.nextDouble();    // (0, 1]
            a[i] = student.schedule().alpha(t[i]);
            s[i] = student.schedule().sigma(t[i]);
            weight[i] = config.weighting().weight(a[i], s[i]);
        }
        Tensor eps = Tensor.randn(dt, rng, x.shape().dims());
        Tensor zt = PerSample.scale(x, a).add(PerSample.scale(eps, s));
        Tensor tt = PerSample.vector(t, dt);
        Tensor target;
        try (var ignored = Autograd.noGrad()) {
            Tensor cond = setup.teacher().x0(zt, tt, Condition.labels(c.labels()));
            int[] nulls = new int[b];
            java.util.Arrays.fill(nulls, Conditioning.NULL_LABEL);
            Tensor uncond = setup.teacher().x0(zt, tt, Condition.labels(nulls));
            Tensor wb = PerSample.broadcast(PerSample.vector(w, dt), cond);
            target = cond.add(cond.sub(uncond).mul(wb)).detach();     // (1 + w) x_c - w x_u
        }
        Tensor xHat = student.x0(zt, tt, c);
        Tensor loss = PerSample.squaredNorm(xHat.sub(target)).mul(PerSample.vector(weight, dt)).mean();
        opt.zeroGrad();
        loss.backward();
        opt.step();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", loss.item());
        out.put("stage", 1.0);
        return out;
    }

    @Override
    public Generator generator() {
        return generator(config.sampleW(), null);
    }

    /**
     * Samples at guidance weight {@code w} with the given labels (one per noise row), or labels
     * drawn uniformly from {@code key} when null. Before stage two, the stage-one student samples
     * with DDIM on {@code steps} uniform steps.
     */
    public Generator generator(double w, int[] labels) {
        return (noise, steps, key) -> {
            int b = noise.dim(0);
            int[] y = labels;
            if (y == null) {
                RngKey lk = key.fold(-1L);
                y = new int[b];
                for (int i = 0; i < b; i++) {
                    y[i] = Math.min(config.classes() - 1, (int) (lk.uniform(i) * config.classes()));
                }
            }
            Condition c = new Condition(y, Tensor.full(noise.dtype(), w, b), null);
            if (rounds == null) {
                return dev.distillery.diffusion.sampling.DdimSampler.sample(student.denoiser(), noise,
                        Grids.uniform(steps), 0.0, c, null, null, null);
            }
            return rounds.sample(noise, steps, c);
        };
    }

    /** Counter of {@link #state()}: the training steps taken, which say the stage. */
    private static final String STEPS_TAKEN = "steps-taken";

    /**
     * The w-conditioned student and the steps taken; in stage two also the rounds' N and finished
     * students; see {@link StudentState}.
     */
    @Override
    public StudentState state() {
        StudentState.Builder out = StudentState.builder().network("student", student.module()).counter(STEPS_TAKEN, steps);
        if (rounds != null) {
            rounds.exportTo(out);
        }
        return out.build();
    }

    /**
     * Restores the student and the stage; a restored stage two's first teacher (used only when
     * training goes on before the first round ends) is the restored student.
     */
    @Override
    public void restore(StudentState state) {
        state.loadInto("student", student.module());
        steps = state.counter(STEPS_TAKEN);
        rounds = null;
        stageOneStudent = null;
        if (state.hasCounter(HalvingRounds.STUDENT_STEPS)) {
            startStageTwo(student.frozenCopy());
            rounds.restoreFrom(state);
        }
    }

    /**
     * The student, stage one's Adam and the steps taken; in stage two also the frozen stage-one
     * student (the first round's teacher) and the rounds' state.
     */
    @Override
    public void writeState(StateWriter out) {
        out.module("student", student.module()).optimizer("optimizer", opt).counter(STEPS_TAKEN, steps);
        if (rounds != null) {
            out.module(STAGE_ONE_STUDENT, stageOneStudent.module()).part("rounds", rounds);
        }
    }

    @Override
    public void readState(StateReader in) {
        in.module("student", student.module());
        in.optimizer("optimizer", opt);
        steps = in.counter(STEPS_TAKEN);
        if (steps < 0) {
            throw new IllegalArgumentException("training state counter '" + STEPS_TAKEN + "' = " + steps + " < 0");
        }
        rounds = null;
        stageOneStudent = null;
        if (in.has("rounds")) {
            Student frozen = student.frozenCopy();
            in.module(STAGE_ONE_STUDENT, frozen.module());
            startStageTwo(frozen);
            in.part("rounds", rounds);
        }
    }

    private static final String STAGE_ONE_STUDENT = "stage-one-student";
}
