package dev.distillery.distill.trajectory;

import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.distill.Student;
import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.schedule.EdmConfig;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.distill.StudentState;
import dev.distillery.distill.core.ConsistencyParameterization;
import dev.distillery.distill.core.Distance;
import dev.distillery.distill.core.UnbiasedScoreEstimator;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;
import dev.distillery.nn.Module;
import dev.distillery.nn.optim.Adam;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consistency training (Song et al. 2023, Algorithm 3 and Appendix C): no teacher in the loss. The
 * teacher's ODE step is replaced by the unbiased single-sample estimate of the score, which makes
 * the pair on one ray of the SAME noise z:
 * <pre>
 *   x_{t_{n+1}} = x + t_{n+1} z,   x_{t_n} = x + t_n z,
 *   L = mean_b d( f_theta(x_{t_{n+1}}, t_{n+1}), sg f_{theta-}(x_{t_n}, t_n) ),
 * </pre>
 * with the curriculum {@code N(k)} of {@link ConsistencyParameterization#consistencyTrainingSteps}
 * (s0 = 2, s1 = 150) over the K = trainingSteps iterations and the target decay
 * {@code mu(k) = exp(s0 log mu0 / N(k))}, mu0 = 0.9. The student may start from the teacher
 * network (a warm start; the teacher plays no other role). See {@link ConsistencyFunction}.
 *
 * <p>{@code x + t_n z} is one Euler step of the PF-ODE with the denoiser estimated by the single
 * data point behind the input. With {@link Config#referenceData()} R > 0 the step uses the
 * posterior-weighted denoiser over the batch and R further data samples instead (the stable
 * target field of Xu et al. 2023; MATH.md section 6.4): the target no longer depends on which data
 * point made the input, so the l2 minimiser stops averaging the target network across modes.
 * Still no teacher in the loss: the score comes from data alone.
 */
public final class ConsistencyTraining implements Distiller.SingleNetwork {
    /** The registry name (the {@code Methods} entry and the {@code --methods} spelling). */
    public static final String NAME = "ct";


    /**
     * @param edm          EDM constants (the paper: 0.002, 80, 0.5, 7)
     * @param s0           initial discretization steps (the paper, CIFAR-10: 2)
     * @param s1           final discretization steps (the paper, CIFAR-10: 150)
     * @param mu0          initial target decay (the paper, CIFAR-10: 0.9)
     * @param distance     d (the paper's best for CT: LPIPS; l2 by default here)
     * @param learningRate Adam learning rate (the paper: 4e-4; 1e-3 for small MLPs here)
     * @param prediction   what a fresh student's network predicts
     * @param fromTeacher  start from the teacher network when there is one
     * @param renoiseMax   the highest level multistep sampling re-noises to ({@link Grids#renoiseLevels};
     *                     see {@link ConsistencyDistillation.Config#RENOISE_MAX})
     * @param referenceData R, the score estimate behind the target point: 0 for the paper's single
     *                     sample (the target on the input's own ray, {@code x + t_n z}); R > 0 for the
     *                     posterior-weighted estimate over the batch and R further data samples
     *                     ({@link ConsistencyTraining the class comment})
     * @param decayShare   the final share of the run over which the learning rate decays to 0
     *                     ({@link StudentOptimizers#adam}; 0: constant, the paper's)
     */
    public record Config(EdmConfig edm, int s0, int s1, double mu0, Distance distance, double learningRate,
                         Prediction prediction, boolean fromTeacher, double renoiseMax, int referenceData,
                         double decayShare) {
        public Config {
            if (s0 >= 1 && s1 < s0) {
                throw new IllegalArgumentException("consistency training config: s0 = " + s0 + " > s1 = " + s1
                        + ": the curriculum's N may not shrink; set s1 to at least s0 as well (e.g. --set s0="
                        + s0 + ",s1=" + s0 + ")");
            }
            if (s0 < 1 || !(mu0 >= 0 && mu0 < 1) || !(learningRate > 0) || referenceData < 0
                    || !(decayShare >= 0 && decayShare <= 1)) {
                throw new IllegalArgumentException("consistency training config: need 1 <= s0 <= s1, 0 <= mu0 < 1,"
                        + " learningRate > 0 and referenceData >= 0; got s0 " + s0 + ", s1 " + s1 + ", mu0 " + mu0
                        + ", lr " + learningRate + ", referenceData " + referenceData + "; and 0 <= decayShare <= 1, got " + decayShare);
            }
        }

        /** The paper's (Song et al. 2023, CIFAR-10) curriculum and target decay, with its single-sample estimate. */
        public static Config defaults() {
            return new Config(EdmConfig.DEFAULTS, 2, 150, 0.9, Distance.l2(), 1e-3, Prediction.V, true,
                    ConsistencyDistillation.Config.RENOISE_MAX, 0, 0.0);
        }

        /**
         * The registry's recipe for the 25-Gaussians demo. Choice by choice:
         * <ul>
         *   <li>the target's score from the batch and R = 1024 further data samples (the stable target
         *       field, Xu et al. 2023; MATH.md section 6.4) instead of the single sample: the l2
         *       minimiser of the single-sample target averages the target network over the modes a
         *       step's end may fall in, and the one-step map converges to a blur (measured,
         *       docs/RESULTS.md, "Why each trajectory method lands where it does": 0 of 25 modes,
         *       HQ 0.02 at every budget; after 8000 steps on the curriculum 2 -> 20, R = 1024 gives
         *       24 / 0.51 and R = 256 23 / 0.44);</li>
         *   <li>no curriculum: s0 = s1 = 18, so N(k) = 19 Karras levels from the second step on (the
         *       curriculum's formula ends at s1 + 1) and mu = 0.95^(18/19) = 0.953, near the N = 18 and
         *       mu = 0.95 of our consistency distillation recipe (Song et al. 2023's CIFAR-10 CD
         *       values); the paper's CT curriculum 2 -> 150 belongs to 800k iterations (measured
         *       after 8000 steps: curriculum 2 -> 20: 25 / 0.52; s0 = s1 = 10: 22 / 0.57; 18: 25 / 0.62;
         *       20: 25 / 0.61);</li>
         *   <li>Adam 1e-3 decayed to 0 over the last quarter of the run, as consistency distillation's.</li>
         * </ul>
         */
        public static Config withEstimatedScore() {
            return defaults().withCurriculum(18, 18).withTargetDecay(0.95).withReferenceData(1024).withDecayShare(0.25);
        }

        public Config withEdm(EdmConfig e) {
            return new Config(e, s0, s1, mu0, distance, learningRate, prediction, fromTeacher, renoiseMax, referenceData, decayShare);
        }

        public Config withCurriculum(int newS0, int newS1) {
            return new Config(edm, newS0, newS1, mu0, distance, learningRate, prediction, fromTeacher, renoiseMax,
                    referenceData, decayShare);
        }

        public Config withLearningRate(double lr) {
            return new Config(edm, s0, s1, mu0, distance, lr, prediction, fromTeacher, renoiseMax, referenceData, decayShare);
        }

        public Config withTargetDecay(double mu) {
            return new Config(edm, s0, s1, mu, distance, learningRate, prediction, fromTeacher, renoiseMax, referenceData, decayShare);
        }

        /** The same with the learning rate decayed to 0 over the final {@code share} of the run (0: constant). */
        public Config withDecayShare(double share) {
            return new Config(edm, s0, s1, mu0, distance, learningRate, prediction, fromTeacher, renoiseMax, referenceData, share);
        }

        /** The same with the score estimated over the batch and {@code r} further data samples (0: single sample). */
        public Config withReferenceData(int r) {
            return new Config(edm, s0, s1, mu0, distance, learningRate, prediction, fromTeacher, renoiseMax, r, decayShare);
        }
    }

    private final DistillSetup setup;
    private final Config config;
    private final ConsistencyParameterization param;
    private final Student student;
    private final Student target;
    private final Adam opt;
    private final long totalSteps;
    private long k;

    public ConsistencyTraining(DistillSetup setup, Config config, long trainingSteps) {
        this.setup = setup;
        this.config = config;
        this.param = ConsistencyParameterization.of(config.edm());
        this.student = Student.fromConfig(setup, config.prediction(), config.fromTeacher());
        this.target = student.frozenCopy();
        StudentOptimizers.requireLength(NAME, config.decayShare(), trainingSteps);
        this.totalSteps = Math.max(1, trainingSteps);
        this.opt = StudentOptimizers.adam(student.module(), config.learningRate(), config.decayShare(), totalSteps);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Double> step(Rng rng) {
        int n = ConsistencyParameterization.consistencyTrainingSteps(Math.min(k, totalSteps), totalSteps, config.s0(),
                config.s1());
        double mu = Math.exp(config.s0() * Math.log(config.mu0()) / n);
        double[] times = ConsistencyParameterization.karrasTimes(n, config.edm());
        Tensor x = Grids.data(setup, setup.batchSize(), rng, "consistency training").x();
        int b = x.dim(0);
        double[] hi = new double[b];
        double[] lo = new double[b];
        for (int i = 0; i < b; i++) {
            int j = rng.nextInt(times.length - 1);
            lo[i] = times[j];
            hi[i] = times[j + 1];
        }
        Tensor z = Tensor.randn(x.dtype(), rng, x.shape().dims());
        Tensor input = x.add(PerSample.scale(z, hi));
        Tensor goal;
        try (var ignored = Autograd.noGrad()) {
            goal = ConsistencyFunction.apply(target, param, targetPoint(x, z, input, lo, hi, rng), lo).detach();
        }
        Tensor online = ConsistencyFunction.apply(student, param, input, hi);
        Tensor loss = ConsistencyParameterization.consistencyLoss(online, goal, config.distance(), 1.0);
        opt.zeroGrad();
        loss.backward();
        opt.step();
        ConsistencyFunction.emaUpdate(target.module(), student.module(), mu);
        k++;
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", loss.item());
        out.put("N", (double) n);
        out.put("mu", mu);
        return out;
    }

    /**
     * The point at level {@code lo} that the target network reads: one Euler step of the PF-ODE
     * {@code dx/dt = (x - D(x, t)) / t} from the input at {@code hi}, with the denoiser D estimated
     * from data. With one sample (the data point x that made the input) {@code D = x} and the step
     * lands on the input's own ray, {@code x + lo z}. With the batch and R further data samples
     * {@code r_j}, D is the Tweedie posterior mean {@code sum_j w_j r_j},
     * {@code w = softmax_j(-||input - r_j||^2 / (2 hi^2))} ({@link UnbiasedScoreEstimator#posteriorMean}).
     */
    private Tensor targetPoint(Tensor x, Tensor z, Tensor input, double[] lo, double[] hi, Rng rng) {
        if (config.referenceData() == 0) {
            return x.add(PerSample.scale(z, lo));
        }
        int b = x.dim(0);
        Tensor reference = Tensor.concat(List.of(x, Grids.data(setup, config.referenceData(), rng,
                "consistency training").x().to(x.dtype())), 0);
        Tensor denoised = UnbiasedScoreEstimator.posteriorMean(input, reference, Tensor.full(x.dtype(), 1.0, b),
                Tensor.of(x.dtype(), hi, b));
        return eulerStep(input, denoised, lo, hi);
    }

    /**
     * {@code x_lo = x_hi + (lo - hi) (x_hi - D) / hi} per sample: one Euler step of the PF-ODE
     * {@code dx/dt = (x - D(x, t)) / t} in EDM time (Karras et al. 2022, Algorithm 1: d = (x - D(x; t)) / t).
     * With {@code D = x} and {@code x_hi = x + hi z} it is {@code x + lo z}, the paper's target point.
     */
    static Tensor eulerStep(Tensor input, Tensor denoised, double[] lo, double[] hi) {
        double[] step = new double[lo.length];
        for (int i = 0; i < lo.length; i++) {
            step[i] = (lo[i] - hi[i]) / hi[i];
        }
        return input.add(PerSample.scale(input.sub(denoised), step));
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

    /** The student, its EMA target, its Adam and the iteration k (which sets N(k) and mu(k)). */
    @Override
    public void writeState(StateWriter out) {
        out.module("student", student.module()).module("target", target.module()).optimizer("optimizer", opt)
                .counter("iteration", k);
    }

    @Override
    public void readState(StateReader in) {
        in.module("student", student.module());
        in.module("target", target.module());
        in.optimizer("optimizer", opt);
        long iteration = in.counter("iteration");
        if (iteration < 0) {
            throw new IllegalArgumentException("training state counter 'iteration' = " + iteration + " < 0");
        }
        k = iteration;
    }
}
