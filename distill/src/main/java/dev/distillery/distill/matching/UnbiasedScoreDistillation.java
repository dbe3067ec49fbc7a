package dev.distillery.distill.matching;

import dev.distillery.distill.Student;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.core.UnbiasedScoreEstimator;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;

import java.util.LinkedHashMap;
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
 * Like DMD it adds the regression loss on teacher pairs ({@link RegressionPairs}, weight
 * {@code lambda_reg}); {@link Config#estimatorOnly()} is the estimator's gradient alone.
 */
public final class UnbiasedScoreDistillation extends GeneratorDistiller {
    /** The registry name (the {@code Methods} entry and the {@code --methods} spelling). */
    public static final String NAME = "unbiased-score";


    /**
     * @param lr               generator learning rate
     * @param referenceSamples N, the generator samples behind each score estimate
     * @param tMin             smallest diffusion time (DMD's range, 0.02 .. 0.98)
     * @param tMax             largest diffusion time
     * @param studentSteps     student steps trained by backward simulation
     * @param decaySteps       learning rate decays to 0 by a cosine over this many steps (0: constant)
     * @param startTime        the time of the generator's first step ({@link FewStepSampler#startTime()})
     * @param regressionWeight lambda_reg of DMD's regression loss ({@link RegressionPairs}; 0: none)
     * @param regressionPairs  number of teacher noise-to-sample pairs (used when lambda_reg > 0)
     * @param pairDdimSteps    teacher DDIM steps per pair
     */
    public record Config(double lr, int referenceSamples, double tMin, double tMax, int studentSteps, int decaySteps,
                         double startTime, double regressionWeight, int regressionPairs, int pairDdimSteps) {
        public Config {
            if (!(lr > 0) || referenceSamples < 1 || studentSteps < 1 || decaySteps < 0
                    || !(tMin > 0 && tMin < tMax && tMax < 1)) {
                throw new IllegalArgumentException("unbiased-score config: need lr > 0, referenceSamples >= 1,"
                        + " studentSteps >= 1, decaySteps >= 0 and 0 < tMin < tMax < 1; got " + lr + ", "
                        + referenceSamples + ", " + studentSteps + ", " + decaySteps + ", " + tMin + ", " + tMax);
            }
            if (!(startTime > 0 && startTime <= 1)) {
                throw new IllegalArgumentException("unbiased-score config: startTime = " + startTime
                        + " must be in (0, 1] (1: the papers' pure noise)");
            }
            if (!(regressionWeight >= 0) || (regressionWeight > 0 && (regressionPairs < 1 || pairDdimSteps < 1))) {
                throw new IllegalArgumentException("unbiased-score config: need regressionWeight >= 0 and, when it is > 0,"
                        + " regressionPairs >= 1 and pairDdimSteps >= 1; got " + regressionWeight + ", "
                        + regressionPairs + ", " + pairDdimSteps);
            }
        }

        /**
         * DMD's recipe ({@link DistributionMatchingDistillation.Config#dmd()}) with its auxiliary
         * network replaced by the estimator, which is what the method is for: "how to avoid training
         * the auxiliary DPM during distillation". Kept from DMD: the regression loss (lambda_reg 4
         * on 8192 pairs of teacher DDIM-32, the term that carries mode coverage for DMD here),
         * DMD's time range (Yin et al. 2024, section 4), lr 1e-3 with the registry's cosine decay,
         * one student step. N = 512 reference samples. Measured (docs/RESULTS.md,
         * distribution-matching section; probe): 25 of 25 modes, HQ 0.71 after 2000 steps and 0.78
         * after 3000 (the registry's budget, as DMD's: 0.71 -> 0.78 from 2000 to 3000). Without the
         * regression loss ({@link #estimatorOnly()}) the estimator's gradient spreads the samples
         * over the data's square but not onto the modes (1-3 modes, HQ 0.1 at any budget, N or
         * tMin measured); the regression loss nearly alone (lambda_reg 1000) gives 25 / 0.73, so
         * here, as in DMD, the regression carries the result and the estimator's gradient neither
         * helps nor harms it measurably.
         */
        public static Config defaults() {
            return new Config(1e-3, 512, 0.02, 0.98, 1, 0, 1.0, 4.0, 8192, 32);
        }

        /** The estimator's gradient alone (no regression loss): the method as the slide states it. */
        public static Config estimatorOnly() {
            return defaults().withRegression(0, 0, 0);
        }

        /** The same with the learning rate decayed to 0 by a cosine over {@code steps} (0: constant). */
        public Config withDecay(int steps) {
            return new Config(lr, referenceSamples, tMin, tMax, studentSteps, steps, startTime,
                    regressionWeight, regressionPairs, pairDdimSteps);
        }

        /** The same with the generator's first step at {@code t} ({@link FewStepSampler#startTime()}). */
        public Config withStartTime(double t) {
            return new Config(lr, referenceSamples, tMin, tMax, studentSteps, decaySteps, t,
                    regressionWeight, regressionPairs, pairDdimSteps);
        }

        /** The same with learning rate {@code lr}. */
        public Config withLearningRate(double rate) {
            return new Config(rate, referenceSamples, tMin, tMax, studentSteps, decaySteps, startTime,
                    regressionWeight, regressionPairs, pairDdimSteps);
        }

        /** The same with {@code n} reference samples behind each estimate. */
        public Config withReferenceSamples(int n) {
            return new Config(lr, n, tMin, tMax, studentSteps, decaySteps, startTime,
                    regressionWeight, regressionPairs, pairDdimSteps);
        }

        /** The same with diffusion times {@code t ~ U(tMin, tMax)}. */
        public Config withTimes(double min, double max) {
            return new Config(lr, referenceSamples, min, max, studentSteps, decaySteps, startTime,
                    regressionWeight, regressionPairs, pairDdimSteps);
        }

        /** The same with regression weight {@code lambda} on {@code pairs} teacher pairs of {@code ddimSteps} steps. */
        public Config withRegression(double lambda, int pairs, int ddimSteps) {
            return new Config(lr, referenceSamples, tMin, tMax, studentSteps, decaySteps, startTime,
                    lambda, pairs, ddimSteps);
        }
    }

    private final Config config;
    private final RegressionPairs pairs;

    public UnbiasedScoreDistillation(DistillSetup setup, Config config) {
        super(new GeneratorTraining(setup, Student.create(setup, true, 1),
                GeneratorTraining.learningRate(config.lr(), config.decaySteps()), 0.9, 0.999,
                config.studentSteps(), config.tMin(), config.tMax(), config.startTime()));
        this.config = config;
        this.pairs = config.regressionWeight() > 0
                ? new RegressionPairs(setup, config.regressionPairs(), config.pairDdimSteps()) : null;
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
        Tensor x0Fake = UnbiasedScoreEstimator.posteriorMean(xt, reference, tt.alpha(), tt.sigma());
        Tensor grad = GeneratorTraining.dmdGradient(x, x0Fake, x0Real, tt);
        Tensor loss = GeneratorTraining.surrogateMean(x, grad);
        if (pairs == null) {
            return Map.of("dmd_surrogate", g.update(loss));
        }
        Map<String, Double> out = new LinkedHashMap<>();
        Tensor reg = pairs.loss(g, b);
        out.put("regression", reg.item());
        out.put("generator", g.update(loss.add(reg.mul(config.regressionWeight()))));
        return out;
    }

    /** The generator and its Adam and, with the regression loss, the position in its pairs. */
    @Override
    public void writeState(StateWriter out) {
        super.writeState(out);
        if (pairs != null) {
            pairs.writeState(out);
        }
    }

    @Override
    public void readState(StateReader in) {
        super.readState(in);
        if (pairs != null) {
            pairs.readState(in);
        }
    }
}
