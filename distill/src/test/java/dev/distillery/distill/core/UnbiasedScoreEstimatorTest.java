package dev.distillery.distill.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The unbiased score estimator against the exact score of a 2-D Gaussian mixture
 * {@code p_0 = sum_k pi_k N(mu_k, s_k^2 I)}, whose noisy marginal is
 * {@code p_t = sum_k pi_k N(alpha mu_k, (alpha^2 s_k^2 + sigma^2) I)} (MATH.md section 5). The exact
 * score is autodiff of {@code log p_t} (a logsumexp). The estimator, fed n samples of p_0, converges
 * as n grows; the transposed numerator {@code (x - alpha x_t)} (MATH.md section 6.10) does not.
 */
class UnbiasedScoreEstimatorTest extends ScalarBackendTest {
    private static final double[][] MU = {{-2.0, 0.0}, {2.0, 1.0}, {0.0, -2.0}};
    private static final double[] S = {0.3, 0.5, 0.4};
    private static final double[] PI = {0.2, 0.5, 0.3};
    private static final double ALPHA = 0.8;
    private static final double SIGMA = 0.6;
    private static final int QUERIES = 64;
    private static final int REPEATS = 8;

    private static Tensor sampleMixture(Rng rng, int n) {
        double[] v = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            int k = u < PI[0] ? 0 : u < PI[0] + PI[1] ? 1 : 2;
            v[2 * i] = MU[k][0] + S[k] * rng.nextGaussian();
            v[2 * i + 1] = MU[k][1] + S[k] * rng.nextGaussian();
        }
        return Tensor.of(v, n, 2);
    }

    /** grad_x log p_t(x) by autodiff of {@code log sum_k pi_k N(x; alpha mu_k, v_k I)}. */
    private static Tensor exactScore(Tensor xt) {
        Tensor x = xt.detach().requiresGrad(true);
        int m = x.dim(0);
        Tensor[] terms = new Tensor[3];
        for (int k = 0; k < 3; k++) {
            double var = ALPHA * ALPHA * S[k] * S[k] + SIGMA * SIGMA;
            Tensor mean = Tensor.of(new double[] {ALPHA * MU[k][0], ALPHA * MU[k][1]}, 1, 2);
            terms[k] = x.sub(mean).square().sum(1, true).div(-2 * var).add(Math.log(PI[k]) - Math.log(2 * Math.PI * var));
        }
        Tensor logP = Tensor.concat(List.of(terms), 1).logsumexp(1, false);
        assertEquals(m, logP.dim(0));
        return Autograd.grad(List.of(logP.sum()), List.of(x), null, false).get(0);
    }

    private static Tensor typoScore(Tensor xt, Tensor samples) {
        Tensor w = UnbiasedScoreEstimator.responsibilities(xt, samples, ALPHA, SIGMA);
        Tensor posteriorMean = w.matmul(samples);
        return posteriorMean.sub(xt.mul(ALPHA)).div(-SIGMA * SIGMA);   // transposed: -(x - alpha x_t)/sigma^2
    }

    private static double rms(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (x[i] - y[i]) * (x[i] - y[i]);
        }
        return Math.sqrt(s / (x.length / 2));
    }

    @Test
    void estimateConvergesToTheExactMixtureScoreAndTheTypoDoesNot() {
        Rng rng = new Rng(2024L);
        Tensor clean = sampleMixture(rng, QUERIES);
        Tensor xt = clean.mul(ALPHA).add(Tensor.randn(DType.F64, rng, QUERIES, 2).mul(SIGMA));
        Tensor exact = exactScore(xt);
        int[] sizes = {10, 100, 1000, 10000};
        double[] err = new double[sizes.length];
        double[] typo = new double[sizes.length];
        for (int r = 0; r < REPEATS; r++) {
            for (int i = 0; i < sizes.length; i++) {
                Tensor samples = sampleMixture(rng, sizes[i]);
                err[i] += rms(UnbiasedScoreEstimator.fromSamples(xt, samples, ALPHA, SIGMA), exact) / REPEATS;
                typo[i] += rms(typoScore(xt, samples), exact) / REPEATS;
            }
        }
        for (int i = 0; i < sizes.length; i++) {
            System.out.printf("unbiased score, n = %5d: rms error %.4f, typo'd form %.4f%n", sizes[i], err[i], typo[i]);
        }
        for (int i = 1; i < sizes.length; i++) {
            assertTrue(err[i] < err[i - 1], "error decreases with n: " + err[i - 1] + " -> " + err[i]);
        }
        assertTrue(err[3] < 0.25 * err[0], "n = 10000 is much better than n = 10");
        assertTrue(typo[3] > 5 * err[3] && typo[3] > 0.5 * typo[0], "the typo'd form does not converge: " + typo[3]);
    }

    /** Tweedie (I8): {@code (x_t + sigma^2 score)/alpha} is the responsibility-weighted posterior mean. */
    @Test
    void estimatorSatisfiesTweedieWithItsPosteriorMean() {
        Rng rng = new Rng(7L);
        Tensor samples = sampleMixture(rng, 50);
        Tensor xt = sampleMixture(rng, 5).mul(ALPHA);
        Tensor w = UnbiasedScoreEstimator.responsibilities(xt, samples, ALPHA, SIGMA);
        double[] rows = w.sum(1, false).toDoubleArray();
        for (double r : rows) {
            assertEquals(1.0, r, 1e-14);
        }
        Tensor tweedie = xt.add(UnbiasedScoreEstimator.fromSamples(xt, samples, ALPHA, SIGMA).mul(SIGMA * SIGMA)).div(ALPHA);
        assertArrayEquals(w.matmul(samples).toDoubleArray(), tweedie.toDoubleArray(), 1e-13);
        Tensor typoTweedie = xt.add(typoScore(xt, samples).mul(SIGMA * SIGMA)).div(ALPHA);
        assertTrue(maxAbs(w.matmul(samples).toDoubleArray(), typoTweedie.toDoubleArray()) > 0.1);
    }

    @Test
    void oneSampleEstimateIsTheSdsScore() {
        Tensor x = Tensor.randn(DType.F64, 1L, 0, 3, 2);
        Tensor eps = Tensor.randn(DType.F64, 2L, 0, 3, 2);
        Tensor xt = x.mul(ALPHA).add(eps.mul(SIGMA));
        assertArrayEquals(eps.div(-SIGMA).toDoubleArray(),
                UnbiasedScoreEstimator.singleSample(xt, x, ALPHA, SIGMA).toDoubleArray(), 1e-14);
        // one generator sample: the responsibility is 1, so fromSamples is the single-sample score
        assertArrayEquals(UnbiasedScoreEstimator.singleSample(xt.slice(0, 0, 1), x.slice(0, 0, 1), ALPHA, SIGMA).toDoubleArray(),
                UnbiasedScoreEstimator.fromSamples(xt.slice(0, 0, 1), x.slice(0, 0, 1), ALPHA, SIGMA).toDoubleArray(), 1e-14);
    }

    /**
     * The per-query posterior mean against its closed form: for two equally likely points
     * {@code +a, -a} in 1-D, {@code E[x | x_t] = a tanh(alpha a x_t / sigma^2)} (the log-odds of +a is
     * {@code 2 alpha a x_t / sigma^2}). Each query has its own time; interior points where tanh is
     * far from saturated, so a wrong sign, a missing alpha or a sigma instead of sigma^2 moves the
     * value by more than 0.05.
     */
    @Test
    void posteriorMeanPerQueryTimeIsTheTwoPointClosedForm() {
        double a = 1.5;
        double[] xt = {0.3, -0.45, 0.9, 0.05};
        double[] alpha = {0.9, 0.6, 0.3, 1.0};
        double[] sigma = {1.1, 0.8, 1.4, 0.2};
        Tensor samples = Tensor.of(new double[] {a, -a, a, -a}, 4, 1);   // duplicates do not move the weights
        double[] got = UnbiasedScoreEstimator.posteriorMean(Tensor.of(xt, 4, 1), samples, Tensor.of(alpha, 4),
                Tensor.of(sigma, 4)).toDoubleArray();
        for (int i = 0; i < xt.length; i++) {
            double want = a * Math.tanh(alpha[i] * a * xt[i] / (sigma[i] * sigma[i]));
            assertEquals(want, got[i], 1e-13, "query " + i);
        }
        // the same weights as responsibilities() at a shared time
        Tensor one = Tensor.of(new double[] {0.3}, 1, 1);
        assertEquals(UnbiasedScoreEstimator.responsibilities(one, samples, 0.9, 1.1).matmul(samples).item(),
                UnbiasedScoreEstimator.posteriorMean(one, samples, Tensor.of(new double[] {0.9}, 1),
                        Tensor.of(new double[] {1.1}, 1)).item(), 1e-15);
    }
}
