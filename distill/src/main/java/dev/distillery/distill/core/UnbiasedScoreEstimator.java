package dev.distillery.distill.core;

import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.autograd.Tensor;

/**
 * An estimate of the score of the generator's noisy marginal {@code p_fake,t} from generator
 * samples, instead of an auxiliary diffusion model (MATH.md
 * section 6.10). By Tweedie (I8), for {@code x ~ p_fake}, {@code x_t ~ N(alpha_t x, sigma_t^2 I)}:
 * <pre>
 *   grad log p_fake,t(x_t) = -E[ (x_t - alpha_t x) / sigma_t^2 | x_t ]
 * </pre>
 * <b>Not {@code (x - alpha_t x_t)}.</b> That transposed numerator, which circulates in lecture notes, is
 * not a score (it contradicts Tweedie's formula and the single-sample form below); the code follows the
 * math, and a test pins it against the exact score of a Gaussian mixture.
 *
 * <p>From one sample x this is the SDS score {@code -(x_t - alpha_t x)/sigma_t^2}
 * ({@link #singleSample}). From N samples {@code x_1..x_N ~ p_fake} the conditional expectation is
 * the self-normalised importance average over the posterior responsibilities
 * <pre>
 *   w_j(x_t) = N(x_t; alpha_t x_j, sigma_t^2 I) / sum_k N(x_t; alpha_t x_k, sigma_t^2 I)
 *            = softmax_j( -||x_t - alpha_t x_j||^2 / (2 sigma_t^2) )
 *   score(x_t) = -(x_t - alpha_t sum_j w_j x_j) / sigma_t^2
 * </pre>
 * which is the exact score of the empirical mixture {@code (1/N) sum_j N(alpha_t x_j, sigma_t^2 I)} and
 * converges to the score of {@code p_fake,t} as N grows ({@link #fromSamples}).
 */
public final class UnbiasedScoreEstimator {
    private UnbiasedScoreEstimator() {
    }

    /** {@code -(x_t - alpha_t x)/sigma_t^2} from the one sample x that produced x_t. */
    public static Tensor singleSample(Tensor xt, Tensor x, double alphaT, double sigmaT) {
        return ScoreDistillation.deltaFakeScore(xt, x, alphaT, sigmaT);
    }

    /**
     * The posterior responsibilities {@code w[i, j]} of sample j for query {@code x_t[i]}: shape
     * {@code [M, N]}, rows summing to 1 (a softmax of Gaussian log-likelihoods, stable for any scale).
     */
    public static Tensor responsibilities(Tensor xt, Tensor samples, double alphaT, double sigmaT) {
        DdimStep.requirePositive("sigmaT", sigmaT);
        Tensor q = PerSample.flat(xt);
        Tensor s = PerSample.flat(samples);
        if (q.dim(1) != s.dim(1)) {
            throw new IllegalArgumentException("queries have " + q.dim(1) + " elements per sample, generator samples "
                    + s.dim(1) + "; they must match");
        }
        Tensor diff = q.unsqueeze(1).sub(s.mul(alphaT).unsqueeze(0));             // [M, N, d]
        Tensor logLik = diff.square().sum(2, false).div(-2.0 * sigmaT * sigmaT);  // [M, N]
        return logLik.softmax(1);
    }

    /**
     * The score at each query {@code x_t[i]} ({@code [M, ...]}) from generator samples {@code [N, ...]}
     * with the same per-sample shape: {@code -(x_t - alpha_t sum_j w_ij x_j)/sigma_t^2}. Costs
     * {@code O(M N d)} time and memory.
     */
    public static Tensor fromSamples(Tensor xt, Tensor samples, double alphaT, double sigmaT) {
        Tensor w = responsibilities(xt, samples, alphaT, sigmaT);
        Tensor posteriorMean = w.matmul(PerSample.flat(samples)).reshape(xt.shape().dims());
        return singleSample(xt, posteriorMean, alphaT, sigmaT);
    }
}
