package dev.distillery.diffusion.mixture;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.data.MixtureSpec;
import java.util.Arrays;

/**
 * A Gaussian mixture with diagonal covariances, {@code p_0 = sum_k pi_k N(mu_k, S_k)},
 * {@code S_k = diag(s_k1^2, ..., s_kD^2)}, and its exact diffused marginals (MATH.md section 5):
 * <pre>
 *   p_t(z) = sum_k pi_k N(z; alpha mu_k, C_k),   C_k = alpha^2 S_k + sigma^2 I
 * </pre>
 * All quantities are written with differentiable tensor ops over a batch {@code z [B, D]}, with
 * {@code alpha}, {@code sigma} per sample ({@code [B]}) or scalars, and summed over components by
 * log-sum-exp, so that no density under- or overflows. Writing
 * {@code l_k(z) = log pi_k + log N(z; alpha mu_k, C_k)} and {@code r_k = softmax_k(l_k)} (the
 * posterior responsibilities {@code p(k | z_t)}):
 * <pre>
 *   log p_t(z) = logsumexp_k l_k(z)
 *   score(z)   = grad log p_t(z) = sum_k r_k C_k^{-1} (alpha mu_k - z)
 *   E[x | z]   = sum_k r_k (mu_k + alpha S_k C_k^{-1} (z - alpha mu_k))     (per-component posterior mean)
 * </pre>
 * The denoiser is computed per component, which is exact also at alpha = 0 (it gives
 * {@code sum pi_k mu_k}); Tweedie's formula (I8) {@code E[x|z] = (z + sigma^2 score)/alpha} agrees
 * with it, and I13 checks the closed-form score against autodiff of {@link #logDensity}.
 * Scalar (rank-0) alpha and sigma, as samplers pass, keep every covariance term at
 * {@code [1, K, D]}, so only the terms that involve z are batch-sized.
 * An optional {@code logWeights [B, K]} replaces {@code log pi_k} per sample (class-conditional
 * mixtures: {@code -Infinity}-like entries switch components off).
 */
public final class GaussianMixture {
    private final int k;
    private final int dim;
    private final double[] weights;
    private final double[] means;      // k * dim
    private final double[] variances;  // k * dim

    /**
     * @param weights pi_k &gt; 0, summing to 1 within 1e-12 (copied)
     * @param means mu_k, {@code K x D} (copied)
     * @param variances diagonal of S_k, {@code K x D}, each &gt; 0 (copied)
     */
    public GaussianMixture(double[] weights, double[][] means, double[][] variances) {
        k = weights.length;
        if (k < 1 || means.length != k || variances.length != k) {
            throw new IllegalArgumentException("need K >= 1 weights, means and variances of equal count, got "
                    + weights.length + ", " + means.length + ", " + variances.length);
        }
        dim = means[0].length;
        this.weights = weights.clone();
        this.means = new double[k * dim];
        this.variances = new double[k * dim];
        double total = 0;
        for (int i = 0; i < k; i++) {
            if (!(weights[i] > 0)) {
                throw new IllegalArgumentException("weights[" + i + "] = " + weights[i] + " must be > 0");
            }
            total += weights[i];
            if (means[i].length != dim || variances[i].length != dim) {
                throw new IllegalArgumentException("component " + i + ": mean and variance must have length D = " + dim);
            }
            for (int d = 0; d < dim; d++) {
                if (!(variances[i][d] > 0) || !Double.isFinite(variances[i][d])) {
                    throw new IllegalArgumentException("variances[" + i + "][" + d + "] = " + variances[i][d] + " must be finite and > 0");
                }
                this.means[i * dim + d] = means[i][d];
                this.variances[i * dim + d] = variances[i][d];
            }
        }
        if (Math.abs(total - 1.0) > 1e-12) {
            throw new IllegalArgumentException("weights sum to " + total + ", expected 1 (within 1e-12)");
        }
    }

    /** The isotropic mixture of a {@link MixtureSpec}: {@code S_k = s_k^2 I}. */
    public static GaussianMixture of(MixtureSpec spec) {
        double[][] var = new double[spec.k()][spec.dim()];
        for (int i = 0; i < spec.k(); i++) {
            Arrays.fill(var[i], spec.std(i) * spec.std(i));
        }
        return new GaussianMixture(spec.weights(), spec.means(), var);
    }

    /** Number of components K. */
    public int components() {
        return k;
    }

    /** Data dimension D. */
    public int dim() {
        return dim;
    }

    /** pi_i. */
    public double weight(int i) {
        return weights[i];
    }

    /** Coordinate d of mu_i. */
    public double mean(int i, int d) {
        return means[i * dim + d];
    }

    /** Diagonal entry d of S_i. */
    public double variance(int i, int d) {
        return variances[i * dim + d];
    }

    /** {@code l_k(z) = log w_k + log N(z; alpha mu_k, C_k)}, shape {@code [B, K]}. */
    public Tensor componentLogits(Tensor z, Tensor alpha, Tensor sigma, Tensor logWeights) {
        return logitsFrom(parts(z, alpha, sigma), logWeights, z.dtype());
    }

    /** {@code log p_t(z)}, shape {@code [B]}. */
    public Tensor logDensity(Tensor z, Tensor alpha, Tensor sigma) {
        return logDensity(z, alpha, sigma, null);
    }

    /** {@code log p_t(z)} with per-sample log-weights (see class notes), shape {@code [B]}. */
    public Tensor logDensity(Tensor z, Tensor alpha, Tensor sigma, Tensor logWeights) {
        return componentLogits(z, alpha, sigma, logWeights).logsumexp(1, false);
    }

    /** Posterior responsibilities {@code r_k = p(k | z_t)}, shape {@code [B, K]}. */
    public Tensor responsibilities(Tensor z, Tensor alpha, Tensor sigma, Tensor logWeights) {
        return componentLogits(z, alpha, sigma, logWeights).softmax(1);
    }

    /** Closed-form score {@code sum_k r_k C_k^{-1} (alpha mu_k - z)}, shape {@code [B, D]}. */
    public Tensor score(Tensor z, Tensor alpha, Tensor sigma, Tensor logWeights) {
        Parts p = parts(z, alpha, sigma);
        Tensor r = logitsFrom(p, logWeights, z.dtype()).softmax(1).unsqueeze(2);
        return r.mul(p.diff.div(p.var)).sum(1, false).neg();
    }

    /** {@link #score(Tensor, Tensor, Tensor, Tensor)} without per-sample weights. */
    public Tensor score(Tensor z, Tensor alpha, Tensor sigma) {
        return score(z, alpha, sigma, null);
    }

    /** Exact denoiser {@code E[x | z_t] = sum_k r_k (mu_k + alpha S_k C_k^{-1}(z - alpha mu_k))}, {@code [B, D]}. */
    public Tensor x0(Tensor z, Tensor alpha, Tensor sigma, Tensor logWeights) {
        Parts p = parts(z, alpha, sigma);
        Tensor r = logitsFrom(p, logWeights, z.dtype()).softmax(1).unsqueeze(2);
        Tensor gain = p.s.mul(p.a).div(p.var);                  // alpha S C^-1, [1 or B, K, D]
        Tensor perComponent = p.mu.add(p.diff.mul(gain));       // [B, K, D]
        return r.mul(perComponent).sum(1, false);
    }

    /** {@link #x0(Tensor, Tensor, Tensor, Tensor)} without per-sample weights. */
    public Tensor x0(Tensor z, Tensor alpha, Tensor sigma) {
        return x0(z, alpha, sigma, null);
    }

    /** {@code log pi_k} as a {@code [K]} tensor. */
    public Tensor logPi(DType dtype) {
        double[] lw = new double[k];
        for (int i = 0; i < k; i++) {
            lw[i] = Math.log(weights[i]);
        }
        return Tensor.of(dtype, lw, k);
    }

    private Tensor logitsFrom(Parts p, Tensor logWeights, DType dtype) {
        Tensor quad = p.diff.square().div(p.var).sum(2, false);   // sum_d (z - alpha mu)^2 / C, [B, K]
        Tensor logDet = p.var.log().sum(2, false);                  // sum_d log C, [1 or B, K]
        Tensor logN = quad.add(logDet).mul(-0.5).sub(0.5 * dim * Math.log(2.0 * Math.PI));
        return logN.add(logWeights == null ? logPi(dtype) : logWeights);
    }

    /** Shared pieces: a, mu, S broadcast to {@code [B or 1, K, D]}, C_k and {@code z - alpha mu_k}. */
    private record Parts(Tensor a, Tensor mu, Tensor s, Tensor var, Tensor diff) {
    }

    private Parts parts(Tensor z, Tensor alpha, Tensor sigma) {
        if (z.rank() != 2 || z.dim(1) != dim) {
            throw new IllegalArgumentException("z must have shape [B, " + dim + "], got " + z.shape());
        }
        Tensor a = perSample3(alpha, z);
        Tensor s = perSample3(sigma, z);
        Tensor mu = Tensor.of(z.dtype(), means, 1, k, dim);
        Tensor cov = Tensor.of(z.dtype(), variances, 1, k, dim);
        Tensor var = cov.mul(a.square()).add(s.square());
        Tensor diff = z.unsqueeze(1).sub(mu.mul(a));
        return new Parts(a, mu, cov, var, diff);
    }

    private static Tensor perSample3(Tensor c, Tensor z) {
        Tensor cc = c.dtype() == z.dtype() ? c : c.to(z.dtype());
        if (cc.rank() == 0) {
            return cc;
        }
        if (cc.numel() == z.dim(0)) {
            return cc.reshape(z.dim(0), 1, 1);
        }
        throw new IllegalArgumentException("alpha/sigma must be scalars or have B = " + z.dim(0)
                + " elements, got shape " + c.shape());
    }

    @Override
    public String toString() {
        return "GaussianMixture[K=" + k + ", D=" + dim + "]";
    }
}
