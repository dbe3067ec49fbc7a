package dev.distillery.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.process.ContinuousPosterior;
import dev.distillery.diffusion.process.DiscretePosterior;
import dev.distillery.diffusion.process.DiscretizedGaussianDecoder;
import dev.distillery.diffusion.process.ForwardProcess;
import dev.distillery.diffusion.process.GaussianKl;
import dev.distillery.diffusion.process.ModelVariance;
import dev.distillery.diffusion.process.VariationalBound;
import dev.distillery.diffusion.loss.TimestepSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Values at interior points with asymmetric inputs, for formulas whose earlier tests sat where a
 * wrong operator gives the same number (a log-variance of 0, a class of one component, a method
 * never called). Each expected value is written from the definition in plain doubles; see
 * docs/MUTATION.md for the mutants each one kills.
 */
@ExtendWith(ScalarBackendExtension.class)
class InteriorKnownAnswerTest {

    /**
     * KL(N(1, 2) || N(0.5, 3)) = 1/2 (ln(3/2) + 2/3 + 0.25/3 - 1), in both the tensor and the scalar
     * log-variance forms; log v0 = ln 2 is not 0, so {@code lv1 - lv0} and {@code lv1 + lv0} differ.
     */
    @Test
    void gaussianKlWithUnequalNonZeroLogVariances() {
        double expected = 0.5 * (Math.log(1.5) + 2.0 / 3.0 + 0.25 / 3.0 - 1.0);
        Tensor m0 = Tensor.of(new double[] {1.0}, 1);
        Tensor m1 = Tensor.of(new double[] {0.5}, 1);
        assertEquals(expected, GaussianKl.diagonal(m0, Math.log(2), m1, Math.log(3)).item(), 1e-15);
        assertEquals(expected, GaussianKl.diagonal(m0, Tensor.of(new double[] {Math.log(2)}, 1), m1,
                Tensor.of(new double[] {Math.log(3)}, 1)).item(), 1e-15);
        assertEquals(expected, GaussianKl.of(1.0, 2.0, 0.5, 3.0), 1e-15);
    }

    /** The 1-D Gaussian density N(z; m, v). */
    private static double normal(double z, double m, double v) {
        return Math.exp(-0.5 * (z - m) * (z - m) / v) / Math.sqrt(2 * Math.PI * v);
    }

    private static final double[] W = {0.2, 0.3, 0.5};
    private static final double[] MU = {-1.0, 2.0, 4.0};
    private static final double[] VAR = {0.5, 0.25, 1.0};

    private static GaussianMixture three() {
        return new GaussianMixture(W, new double[][] {{MU[0]}, {MU[1]}, {MU[2]}}, new double[][] {{VAR[0]}, {VAR[1]}, {VAR[2]}});
    }

    /**
     * log p_t(z | y) of a class-conditional mixture: class 0 owns components 0 and 1 (weights 0.2 and
     * 0.3, renormalised to 0.4 and 0.6), class 1 owns component 2 (weight 1 after renormalising). With
     * alpha, sigma of the cosine schedule at t = 0.5, component k's marginal is N(alpha mu_k, alpha^2 v_k + sigma^2).
     * Renormalising by the class mass is what a density sees (the posterior mean does not: a common
     * factor cancels in the responsibilities).
     */
    @Test
    void classConditionalLogDensityRenormalisesWithinTheClass() {
        GaussianMixtureDenoiser d = new GaussianMixtureDenoiser(three(), ContinuousCosine.INSTANCE, new int[] {0, 0, 1}, 2);
        double a = ContinuousCosine.INSTANCE.alpha(0.5);
        double s = ContinuousCosine.INSTANCE.sigma(0.5);
        double z = 0.3;
        double[] n = new double[3];
        for (int k = 0; k < 3; k++) {
            n[k] = normal(z, a * MU[k], a * a * VAR[k] + s * s);
        }
        Tensor zs = Tensor.of(new double[] {z, z, z}, 3, 1);
        Tensor t = Tensor.of(new double[] {0.5, 0.5, 0.5}, 3);
        double[] got = d.logDensity(zs, t, Condition.labels(0, 1, -1)).toDoubleArray();
        assertEquals(Math.log(0.4 * n[0] + 0.6 * n[1]), got[0], 1e-12);
        assertEquals(Math.log(n[2]), got[1], 1e-12);
        double full = Math.log(0.2 * n[0] + 0.3 * n[1] + 0.5 * n[2]);
        assertEquals(full, got[2], 1e-12, "a label out of range keeps the full mixture");
        GaussianMixtureDenoiser plain = new GaussianMixtureDenoiser(three(), ContinuousCosine.INSTANCE);
        assertEquals(full, plain.logDensity(Tensor.of(new double[] {z}, 1, 1), Tensor.of(new double[] {0.5}, 1),
                Condition.NONE).item(), 1e-12);
    }

    /** Responsibilities r_k = w_k N_k / sum_j w_j N_j at alpha = 0.8, sigma = 0.6, z = 1.1 (Bayes' rule). */
    @Test
    void responsibilitiesAreBayesRule() {
        double a = 0.8;
        double s = 0.6;
        double z = 1.1;
        double[] wn = new double[3];
        double sum = 0;
        for (int k = 0; k < 3; k++) {
            wn[k] = W[k] * normal(z, a * MU[k], a * a * VAR[k] + s * s);
            sum += wn[k];
        }
        double[] got = three().responsibilities(Tensor.of(new double[] {z}, 1, 1), Tensor.scalar(a, DType.F64),
                Tensor.scalar(s, DType.F64), null).toDoubleArray();
        assertArrayEquals(new double[] {wn[0] / sum, wn[1] / sum, wn[2] / sum}, got, 1e-12);
        assertEquals("GaussianMixture[K=3, D=1]", three().toString());
    }

    /**
     * The posterior mean q(z_s | z_t, x) between (alpha_s, sigma_s) = (0.8, 0.6) and (0.6, 0.8):
     * alpha_{t|s} = 0.75, sigma_{t|s}^2 = 0.64 - 0.5625 * 0.36 = 0.4375, coefZ = 0.75 * 0.36 / 0.64 =
     * 0.421875, coefX = 0.8 * 0.4375 / 0.64 = 0.546875; at z = 2, x = -1 the mean is 0.84375 - 0.546875.
     */
    @Test
    void continuousPosteriorMeanByHand() {
        ContinuousPosterior p = ContinuousPosterior.of(0.8, 0.6, 0.6, 0.8);
        assertEquals(0.421875, p.coefZ(), 1e-15);
        assertEquals(0.546875, p.coefX(), 1e-15);
        assertEquals(0.4375 * 0.36 / 0.64, p.variance(), 1e-15);
        Tensor mean = p.mean(Tensor.of(new double[] {2.0}, 1), Tensor.of(new double[] {-1.0}, 1));
        assertEquals(0.84375 - 0.546875, mean.item(), 1e-15);
    }

    /**
     * q(z_t | x0) at continuous times: z = alpha(t) x0 + sigma(t) eps per sample, eps = randn(key, offset)
     * of x0's shape, and the noise is returned with z.
     */
    @Test
    void forwardProcessAtContinuousTimesByHand() {
        Tensor x0 = Tensor.of(new double[] {1.5, -0.5, 0.25, 2.0}, 2, 2);
        RngKey key = RngKey.of(17);
        ForwardProcess.Noised n = ForwardProcess.sample(x0, ContinuousCosine.INSTANCE, Tensor.of(new double[] {0.2, 0.7}, 2),
                key, 3L);
        double[] eps = Tensor.randn(DType.F64, key.value(), 3L, 2, 2).toDoubleArray();
        assertArrayEquals(eps, n.eps().toDoubleArray(), 0.0);
        double[] x = x0.toDoubleArray();
        double[] t = {0.2, 0.2, 0.7, 0.7};
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            expected[i] = ContinuousCosine.INSTANCE.alpha(t[i]) * x[i] + ContinuousCosine.INSTANCE.sigma(t[i]) * eps[i];
        }
        assertArrayEquals(expected, n.z().toDoubleArray(), 1e-15);
    }

    /** The table's cells are the schedule's values, the t column included (beta = 0.1, 0.2, 0.3). */
    @Test
    void scheduleTableCellsByHand() {
        ScheduleTable table = ScheduleTable.of(DiscreteSchedule.fromBetas("hand", new double[] {0.1, 0.2, 0.3}));
        assertEquals(2.0, table.value("t", 2), 0.0);
        assertEquals(0.2, table.value("beta", 2), 0.0);
        assertEquals(0.72, table.value("alpha_bar", 2), 1e-15);
        assertEquals(Math.sqrt(0.72), table.value("alpha", 2), 1e-15);
        assertEquals(Math.sqrt(0.28), table.value("sigma", 2), 1e-15);
        assertEquals(Math.log(0.72 / 0.28), table.value("log_snr", 2), 1e-14);
    }

    private static final DiscreteSchedule HAND = DiscreteSchedule.fromBetas("hand", new double[] {0.1, 0.2, 0.3});

    /**
     * L_{t-1} at t = 2 (the smallest t it accepts) of HAND, abar = (0.9, 0.72): the true posterior mean
     * {@code sqrt(0.9) 0.2/0.28 x0 + sqrt(0.8) 0.1/0.28 x_t}, variance {@code 0.1/0.28 * 0.2}; the model's
     * mean {@code (x_t - 0.2/sqrt(0.28) eps)/sqrt(0.8)}, variance beta_2 = 0.2; the term is the KL of the two.
     */
    @Test
    void diffusionTermAtTheSmallestStepByHand() {
        double x0 = 0.5;
        double xt = 0.3;
        double eps = 0.2;
        double trueMean = Math.sqrt(0.9) * 0.2 / 0.28 * x0 + Math.sqrt(0.8) * 0.1 / 0.28 * xt;
        double modelMean = (xt - 0.2 / Math.sqrt(0.28) * eps) / Math.sqrt(0.8);
        double expected = GaussianKl.of(trueMean, 0.1 / 0.28 * 0.2, modelMean, 0.2);
        Tensor term = VariationalBound.diffusionTerm(HAND, new int[] {2}, Tensor.of(new double[] {x0}, 1, 1),
                Tensor.of(new double[] {xt}, 1, 1), Tensor.of(new double[] {eps}, 1, 1), ModelVariance.BETA);
        assertEquals(expected, term.item(), 1e-14);
    }

    /**
     * The bound's estimate sums L_T, L_{t-1} for every t = 2..T (the last included) and L_0 at t = 1, each
     * on its own draw x_t ~ q(x_t | x_0) with noise from {@code key.fold(t)}: recomputed here term by term.
     */
    @Test
    void variationalBoundEvaluatesEveryStep() {
        GaussianMixtureDenoiser d = new GaussianMixtureDenoiser(new GaussianMixture(new double[] {1.0},
                new double[][] {{0.2, -0.1}}, new double[][] {{0.3, 0.5}}), HAND.asContinuous());
        Tensor x0 = Tensor.of(new double[] {1.0, -1.0, 0.0, 1.0}, 2, 2);
        DiscretizedGaussianDecoder decoder = new DiscretizedGaussianDecoder(3);
        RngKey key = RngKey.of(23);
        double prior = VariationalBound.priorTerm(HAND, x0).mean().item();
        double diffusion = 0;
        double decoderNats = 0;
        for (int t = 1; t <= 3; t++) {
            int[] steps = {t, t};
            ForwardProcess.Noised n = ForwardProcess.sample(x0, HAND, steps, key.fold(t), 0L);
            Tensor eps = d.eps(n.z(), Tensor.of(new double[] {t / 3.0, t / 3.0}, 2), Condition.NONE);
            if (t == 1) {
                decoderNats = VariationalBound.decoderTerm(HAND, x0, n.z(), eps, ModelVariance.BETA_TILDE, decoder).mean().item();
            } else {
                diffusion += VariationalBound.diffusionTerm(HAND, steps, x0, n.z(), eps, ModelVariance.BETA_TILDE).mean().item();
            }
        }
        VariationalBound.Terms terms = VariationalBound.evaluate(d, HAND, x0, Condition.NONE, ModelVariance.BETA_TILDE,
                decoder, key);
        assertEquals(prior, terms.prior(), 1e-14);
        assertEquals(diffusion, terms.diffusion(), 1e-12);
        assertEquals(decoderNats, terms.decoder(), 1e-12);
    }

    /**
     * Zero terminal SNR rescaling (Lin et al. 2024, Algorithm 1) on five uneven steps, recomputed
     * literally: r_t = sqrt(abar_t), {@code r'_t = (r_t - r_T) r_1 / (r_1 - r_T)}, abar'_t = r'_t^2. Every
     * interior step (t = 2..4) is compared, not only t = 2 as with three steps.
     */
    @Test
    void zeroTerminalSnrMatchesAlgorithmOneAtEveryStep() {
        double[] betas = {0.05, 0.1, 0.3, 0.15, 0.4};
        DiscreteSchedule s = DiscreteSchedule.fromBetas("uneven", betas);
        DiscreteSchedule z = DiscreteSchedules.rescaleZeroTerminalSnr(s);
        double[] r = new double[6];
        double abar = 1;
        for (int t = 1; t <= 5; t++) {
            abar *= 1 - betas[t - 1];
            r[t] = Math.sqrt(abar);
        }
        for (int t = 1; t <= 5; t++) {
            double rt = (r[t] - r[5]) * r[1] / (r[1] - r[5]);
            assertEquals(rt * rt, z.alphaBar(t), 1e-13, "abar'_" + t);
        }
        assertEquals(0.05, z.beta(1), 1e-15);
        assertEquals(1.0, z.beta(5), 0.0);
    }

    /** Continuous training times are the generator's next doubles, one per sample, in order. */
    @Test
    void continuousTimesAreTheGeneratorsDraws() {
        Rng expected = new Rng(41L);
        double[] t = TimestepSampler.continuousUniform(new Rng(41L), 5);
        for (int b = 0; b < 5; b++) {
            assertEquals(expected.nextDouble(), t[b], 0.0, "sample " + b);
        }
    }

    /**
     * The clipped posterior log-variance at t = 1 with T = 2 (the smallest T that has a beta_tilde_2):
     * beta = (0.1, 0.2), {@code beta_tilde_2 = (1 - 0.9)/(1 - 0.72) * 0.2}, not log beta_1.
     */
    @Test
    void clippedPosteriorLogVarianceWithTwoSteps() {
        DiscreteSchedule two = DiscreteSchedule.fromBetas("two", new double[] {0.1, 0.2});
        assertEquals(Math.log(0.1 / 0.28 * 0.2), DiscretePosterior.logVarianceClipped(two, 1), 1e-15);
    }

    /** sigma_data must be positive and finite; the smallest positive double is accepted. */
    @Test
    void edmConfigRejectsANonPositiveSigmaData() {
        for (double sd : new double[] {0.0, -0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new EdmConfig(0.002, 80.0, sd, 7.0), "sigma_data " + sd);
        }
        assertEquals(Double.MIN_VALUE, new EdmConfig(0.002, 80.0, Double.MIN_VALUE, 7.0).sigmaData(), 0.0);
    }

    /**
     * An infinite cosine offset is rejected by the offset's own check, which names it; without that
     * check the betas become NaN and fromBetas rejects "beta_1" instead, a message about the wrong argument.
     */
    @Test
    void cosineRejectsAnInfiniteOffsetByName() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DiscreteSchedules.cosine(10, Double.POSITIVE_INFINITY));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("cosine offset"), e.getMessage());
    }

    /** L_{t-1} is defined for t >= 2 only: at t = 1 the true posterior variance is 0 and its log -Infinity. */
    @Test
    void diffusionTermRejectsTheFirstStep() {
        Tensor one = Tensor.of(new double[] {0.5, 0.5}, 2, 1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> VariationalBound.diffusionTerm(HAND, new int[] {2, 1}, one, one, one, ModelVariance.BETA));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("t >= 2"), e.getMessage());
    }
}
