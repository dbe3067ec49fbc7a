package dev.distillery.distill.matching;

import dev.distillery.distill.Student;
import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.distill.DistillSetup;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.distill.core.UnbiasedScoreEstimator;

import java.util.Map;

/**
 * DMD without the auxiliary network (MATH.md section 6.10): the
 * fake score at {@code x_t} is estimated from a fresh batch of N generator samples
 * {@code x_1..x_N} (no gradient) by the posterior-weighted Tweedie mean of
 * {@link UnbiasedScoreEstimator}, with one time per query:
 * <pre>
 *   w_ij = softmax_j( -||x_t,i - alpha_i x_j||^2 / (2 sigma_i^2) ),   x_hat_fake,i = sum_j w_ij x_j
 *   grad_x = alpha_t (x_hat_fake - x_hat_teacher) / mean_j |x - x_hat_teacher|_j      (DMD eq. 8)
 * </pre>
 * The reference batch is independent of the batch being trained (a query's own sample would take
 * all the weight at small t and turn the method into SDS) but comes from the same student step:
 * a multistep student has one fake distribution per step. Costs {@code O(B N d)} per step.
 */
public final class UnbiasedScoreDistillation extends GeneratorDistiller {
    /** The registry name (the {@code Methods} entry and the {@code --methods} spelling). */
    public static final String NAME = "unbiased-score";


    /**
     * @param lr           generator learning rate
     * @param referenceSamples N, the generator samples behind each score estimate
     * @param tMin         smallest diffusion time (DMD's range, 0.02 .. 0.98)
     * @param tMax         largest diffusion time
     * @param studentSteps student steps trained by backward simulation
     * @param decaySteps   learning rate decays to 0 by a cosine over this many steps (0: constant)
     * @param startTime    the time of the generator's first step ({@link FewStepSampler#startTime()})
     */
    public record Config(double lr, int referenceSamples, double tMin, double tMax, int studentSteps, int decaySteps,
                         double startTime) {
        /**
         * lr 1e-3 (measured for these MLPs, as DMD's), N = 512 reference samples, DMD's time range
         * (Yin et al. 2024, section 4), one student step (the one-step generator of DMD). Measured
         * (docs/RESULTS.md, distribution-matching section): raising tMin to 0.2 or N to 1024 does not help.
         */
        public static Config defaults() {
            return new Config(1e-3, 512, 0.02, 0.98, 1, 0, 1.0);
        }

        /** The same with the learning rate decayed to 0 by a cosine over {@code steps} (0: constant). */
        public Config withDecay(int steps) {
            return new Config(lr, referenceSamples, tMin, tMax, studentSteps, steps, startTime);
        }

        /** The same with the generator's first step at {@code t} ({@link FewStepSampler#startTime()}). */
        public Config withStartTime(double t) {
            return new Config(lr, referenceSamples, tMin, tMax, studentSteps, decaySteps, t);
        }
    }

    private final Config config;

    public UnbiasedScoreDistillation(DistillSetup setup, Config config) {
        super(new GeneratorTraining(setup, Student.create(setup, true, 1),
                GeneratorTraining.learningRate(config.lr(), config.decaySteps()), 0.9, 0.999,
                config.studentSteps(), config.tMin(), config.tMax(), config.startTime()));
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Double> step(Rng rng) {
        int b = g.setup.batchSize();
        // the fake distribution is that of the student step being trained: a reference batch from
        // another step would score the wrong distribution and push every sample away from it
        int i = g.drawStep(rng);
        Tensor reference = g.generateDetached(config.referenceSamples(), i, rng);
        Tensor x = g.generate(b, i, rng);
        GeneratorTraining.Times tt = g.times(b, rng);
        Tensor eps = Tensor.randn(x.dtype(), rng, x.shape().dims());
        Tensor xt = GeneratorTraining.noised(x, tt, eps);
        Tensor x0Real = g.teacherX0(xt, tt.t());
        Tensor x0Fake = posteriorMean(xt, reference, tt.alpha(), tt.sigma());
        Tensor grad = GeneratorTraining.dmdGradient(x, x0Fake, x0Real, tt);
        double loss = g.update(GeneratorTraining.surrogateMean(x, grad));
        return Map.of("dmd_surrogate", loss);
    }

    /**
     * {@code sum_j w_ij x_j} with per-query coefficients {@code alpha, sigma: [M]}: the Tweedie mean of
     * the empirical mixture of the samples, which {@link UnbiasedScoreEstimator#fromSamples} gives
     * for one shared time.
     */
    public static Tensor posteriorMean(Tensor xt, Tensor samples, Tensor alpha, Tensor sigma) {
        try (var off = Autograd.noGrad()) {
            Tensor q = PerSample.flat(xt);
            Tensor s = PerSample.flat(samples);
            int m = q.dim(0);
            Tensor diff = q.unsqueeze(1).sub(s.unsqueeze(0).mul(alpha.reshape(m, 1, 1)));      // [M, N, d]
            Tensor logLik = diff.square().sum(2, false).div(sigma.square().reshape(m, 1).mul(-2.0)); // [M, N]
            return logLik.softmax(1).matmul(s).reshape(xt.shape().dims()).detach();
        }
    }
}
