package dev.distillery.distill.core;

import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
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
        int m = xt.dim(0);
        return weights(xt, PerSample.flat(samples).to(DType.F64), Tensor.full(DType.F64, alphaT, m),
                Tensor.full(DType.F64, sigmaT, m)).to(xt.dtype());
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

    /**
     * The Tweedie posterior mean {@code E[x | x_t,i] ~ sum_j w_ij x_j} at each query with its own
     * time: {@code alpha, sigma} are {@code [M]}, one per query row of {@code x_t} ({@code [M, ...]});
     * samples {@code [N, ...]} with the same per-sample shape. The weights are those of
     * {@link #responsibilities} with {@code alpha_i, sigma_i}; the score is
     * {@code -(x_t,i - alpha_i mean_i) / sigma_i^2}. Evaluated without gradient and detached.
     * Costs {@code O(M N d)} time and memory.
     */
    public static Tensor posteriorMean(Tensor xt, Tensor samples, Tensor alpha, Tensor sigma) {
        try (var off = Autograd.noGrad()) {
            Tensor s64 = PerSample.flat(samples).to(DType.F64);
            return weights(xt, s64, alpha, sigma).matmul(s64).to(xt.dtype()).reshape(xt.shape().dims()).detach();
        }
    }

    /**
     * The responsibilities {@code [M, N]} in float64 of the rows of {@code s64} ({@code [N, d]}) for
     * the queries {@code x_t} ({@code [M, ...]}), query i at its own {@code alpha_i, sigma_i}.
     */
    private static Tensor weights(Tensor xt, Tensor s64, Tensor alpha, Tensor sigma) {
        Tensor q = PerSample.flat(xt);
        int m = q.dim(0);
        if (q.dim(1) != s64.dim(1) || alpha.numel() != m || sigma.numel() != m) {
            throw new IllegalArgumentException("queries " + q.shape() + " against samples " + s64.shape() + " with "
                    + alpha.numel() + " alphas and " + sigma.numel() + " sigmas: need as many elements per sample"
                    + " in both, and one alpha and one sigma per query");
        }
        return logLikelihoods(q.to(DType.F64), s64, alpha.to(DType.F64), sigma.to(DType.F64)).softmax(1);
    }

    /**
     * {@code -||q_i - alpha_i s_j||^2 / (2 sigma_i^2)} up to a constant per row ({@code [M, N]}), which
     * softmax ignores: {@code (alpha_i q_i . s_j - alpha_i^2 ||s_j||^2 / 2) / sigma_i^2}. One GEMM
     * instead of an {@code [M, N, d]} difference; in float64, where the cancellation of the expanded
     * square costs about {@code 1e-16 (||q||^2 + alpha^2 ||s||^2) / sigma^2} in each logit, far below
     * what moves a softmax weight for any sigma these methods draw.
     */
    private static Tensor logLikelihoods(Tensor q, Tensor s, Tensor alpha, Tensor sigma) {
        int m = q.dim(0);
        int n = s.dim(0);
        Tensor a = alpha.reshape(m, 1);
        Tensor cross = q.matmul(s, false, true);                              // [M, N]
        Tensor half = s.square().sum(1, false).reshape(1, n).mul(0.5);        // [1, N]
        return cross.mul(a).sub(half.mul(a.square())).div(sigma.square().reshape(m, 1));
    }
}
