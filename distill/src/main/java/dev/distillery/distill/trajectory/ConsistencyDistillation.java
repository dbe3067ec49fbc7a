package dev.distillery.distill.trajectory;

import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.sampling.EdmView;
import dev.distillery.distill.Student;
import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.schedule.EdmConfig;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.distill.StudentState;
import dev.distillery.distill.core.ConsistencyParameterization;
import dev.distillery.distill.core.Distance;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;
import dev.distillery.nn.Module;
import dev.distillery.nn.optim.Adam;

import java.util.Map;

/**
 * Consistency distillation (Song, Dhariwal, Chen, Sutskever 2023, "Consistency models",
 * Algorithm 2; MATH.md section 6.4), in EDM units (see
 * {@link ConsistencyFunction}). Per sample {@code n ~ U{1..N-1}} on the Karras times
 * {@code eps = t_1 < ... < t_N = T} ({@link ConsistencyParameterization#karrasTimes}),
 * {@code x_{t_{n+1}} = x + t_{n+1} z} with x from the data, one teacher ODE step (Euler or Heun on
 * {@code dx/dsigma = (x - D(x; sigma))/sigma}) to {@code x^phi_{t_n}}, and
 * <pre>
 *   L = lambda mean_b d( f_theta(x_{t_{n+1}}, t_{n+1}), sg f_{theta-}(x^phi_{t_n}, t_n) ),  lambda = 1,
 *   theta- &lt;- mu theta- + (1 - mu) theta .
 * </pre>
 * The generator uses the online student (Algorithm 1).
 */
public final class ConsistencyDistillation implements Distiller.SingleNetwork {
    /** The registry name (the {@code Methods} entry and the {@code --methods} spelling). */
    public static final String NAME = "cd";


    /** Teacher ODE step of the distillation. */
    public enum TeacherStep { EULER, HEUN }

    /**
     * @param edm          sigma_min = eps, sigma_max = T, sigma_data, rho (the paper: EDM's 0.002, 80, 0.5, 7;
     *                     set sigma_data to the data's standard deviation for other data)
     * @param n            N, the number of discretization times (the paper, CIFAR-10 CD with LPIPS: 18)
     * @param teacherStep  the teacher's ODE solver (the paper's best: Heun)
     * @param emaDecay     mu of the target network (the paper, CIFAR-10 CD: 0.95)
     * @param distance     d (the paper: l2, l1, LPIPS; {@link Distance#l2()}, {@link Distance#l1()},
     *                     {@link Distance#pseudoHuber(double)}, or a {@code FeatureDistance} on a frozen network)
     * @param learningRate Adam learning rate (the paper, CIFAR-10: 4e-4 at batch 512; 1e-3 for small MLPs here)
     * @param prediction   what a fresh student's network predicts (the x_hat inside F)
     * @param fromTeacher  start from the teacher network when there is one (the paper: always)
     * @param renoiseMax   the highest level multistep sampling re-noises to ({@link Grids#renoiseLevels})
     * @param decayShare   the final share of the run over which the learning rate decays to 0 ({@link StudentOptimizers#adam}; the
     *                     paper: constant, over 600k iterations)
     */
    public record Config(EdmConfig edm, int n, TeacherStep teacherStep, double emaDecay, Distance distance,
                         double learningRate, Prediction prediction, boolean fromTeacher, double renoiseMax,
                         double decayShare) {
        /**
         * The default re-noise ceiling of multistep sampling, in data units: below half the 25-Gaussians
         * grid spacing (1) by three standard deviations, so a second step refines the mode the first step
         * chose. The plain Karras midpoint, 2.5 for EDM's levels, redraws it (2-step CD after 3000 steps:
         * 12 modes with the midpoint, 25 with 0.3; docs/RESULTS.md). The paper's greedy search found
         * 0.821 for CIFAR-10 in [-1, 1] (Song et al. 2023, section 6), the same order.
         */
        public static final double RENOISE_MAX = 0.3;

        /**
         * The paper's CIFAR-10 values where they carry over (EDM's constants, N = 18, Heun, mu = 0.95),
         * Adam at 1e-3 for these small MLPs, the re-noise ceiling {@link #RENOISE_MAX}, and the rate
         * decayed to 0 over the last quarter of the run (the paper keeps it constant over 600k
         * iterations). Why the decay comes late: the one-step map is learned by propagating
         * consistency from low noise to sigma_max one interval at a time, and an early decay slows
         * that propagation (3000 steps decayed throughout: HQ 0.32 at one step, constant 0.45); once
         * it has propagated, the decay removes the optimiser's parameter noise, which alone moves
         * samples by more than the HQ radius (16000 steps: constant 0.65, decayed over the last
         * quarter 0.77; docs/RESULTS.md, trajectory budget sweeps).
         */
        public static Config defaults() {
            return new Config(EdmConfig.DEFAULTS, 18, TeacherStep.HEUN, 0.95, Distance.l2(), 1e-3, Prediction.V, true,
                    RENOISE_MAX, 0.25);
        }

        public Config withEdm(EdmConfig e) {
            return new Config(e, n, teacherStep, emaDecay, distance, learningRate, prediction, fromTeacher, renoiseMax, decayShare);
        }

        public Config withDistance(Distance d) {
            return new Config(edm, n, teacherStep, emaDecay, d, learningRate, prediction, fromTeacher, renoiseMax, decayShare);
        }

        public Config withN(int newN) {
            return new Config(edm, newN, teacherStep, emaDecay, distance, learningRate, prediction, fromTeacher, renoiseMax, decayShare);
        }

        public Config withEmaDecay(double mu) {
            return new Config(edm, n, teacherStep, mu, distance, learningRate, prediction, fromTeacher, renoiseMax, decayShare);
        }

        public Config withLearningRate(double lr) {
            return new Config(edm, n, teacherStep, emaDecay, distance, lr, prediction, fromTeacher, renoiseMax, decayShare);
        }

        public Config withRenoiseMax(double sigma) {
            return new Config(edm, n, teacherStep, emaDecay, distance, learningRate, prediction, fromTeacher, sigma, decayShare);
        }

        public Config withDecayShare(double share) {
            return new Config(edm, n, teacherStep, emaDecay, distance, learningRate, prediction, fromTeacher, renoiseMax,
                    share);
        }

        public Config withTeacherStep(TeacherStep s) {
            return new Config(edm, n, s, emaDecay, distance, learningRate, prediction, fromTeacher, renoiseMax, decayShare);
        }
    }

    private final DistillSetup setup;
    private final Config config;
    private final ConsistencyParameterization param;
    private final double[] times;
    private final Student student;
    private final Student target;
    private final Adam opt;

    /** A run of {@code trainingSteps} steps (the length of the learning-rate decay). */
    public ConsistencyDistillation(DistillSetup setup, Config config, long trainingSteps) {
        StudentOptimizers.requireLength(name(), config.decayShare(), trainingSteps);
        if (config.n() < 2) {
            throw new IllegalArgumentException("consistency distillation needs N >= 2 discretization times, got " + config.n());
        }
        this.setup = setup;
        this.config = config;
        this.param = ConsistencyParameterization.of(config.edm());
        this.times = ConsistencyParameterization.karrasTimes(config.n(), config.edm());
        this.student = Student.fromConfig(setup, config.prediction(), config.fromTeacher());
        this.target = student.frozenCopy();
        this.opt = StudentOptimizers.adam(student.module(), config.learningRate(), config.decayShare(), trainingSteps);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Double> step(Rng rng) {
        Tensor x = Grids.data(setup, setup.batchSize(), rng, "consistency distillation").x();
        int b = x.dim(0);
        double[] hi = new double[b];
        double[] lo = new double[b];
        for (int i = 0; i < b; i++) {
            int n = rng.nextInt(times.length - 1);
            lo[i] = times[n];
            hi[i] = times[n + 1];
        }
        Tensor xHi = x.add(PerSample.scale(Tensor.randn(x.dtype(), rng, x.shape().dims()), hi));
        Tensor goal;
        try (var ignored = Autograd.noGrad()) {
            Tensor xLo = config.teacherStep() == TeacherStep.HEUN
                    ? new EdmView(setup.teacher()).heun(xHi, hi, lo, Condition.NONE)
                    : new EdmView(setup.teacher()).euler(xHi, hi, lo, Condition.NONE);
            goal = ConsistencyFunction.apply(target, param, xLo, lo).detach();
        }
        Tensor online = ConsistencyFunction.apply(student, param, xHi, hi);
        Tensor loss = ConsistencyParameterization.consistencyLoss(online, goal, config.distance(), 1.0);
        opt.zeroGrad();
        loss.backward();
        opt.step();
        ConsistencyFunction.emaUpdate(target.module(), student.module(), config.emaDecay());
        return Map.of("loss", loss.item());
    }

    @Override
    public Generator generator() {
        return ConsistencyFunction.generator(student, param, config.edm(), config.renoiseMax());
    }

    /** The network the generator evaluates (what {@link StudentState} saves). */
    @Override
    public Module sampledNetwork() {
        return student.module();
    }

    /** The student, its EMA target and its Adam. */
    @Override
    public void writeState(StateWriter out) {
        out.module("student", student.module()).module("target", target.module()).optimizer("optimizer", opt);
    }

    @Override
    public void readState(StateReader in) {
        in.module("student", student.module());
        in.module("target", target.module());
        in.optimizer("optimizer", opt);
    }
}
