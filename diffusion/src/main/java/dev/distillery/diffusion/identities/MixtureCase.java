package dev.distillery.diffusion.identities;

import dev.distillery.diffusion.mixture.GaussianMixture;
import java.util.Arrays;

/**
 * A diagonal Gaussian mixture as an identity input: K components in D dims, printed with its
 * weights, means and variances.
 *
 * @param weights pi_k, summing to 1 (the last one is 1 minus the others)
 * @param means mu_k, K x D
 * @param variances the diagonals of S_k, K x D
 */
public record MixtureCase(double[] weights, double[][] means, double[][] variances) {
    /**
     * K in [minK, 5] ({@code "K"}), weights from {@code "w"} in [0.2, 1] normalized, means
     * {@code 2 x} data values ({@code "mu"}, outliers included), variances {@code 10^e} with e in
     * [-2, 0] ({@code "logVar"}). Shrinks toward minK components of equal weight, means 0 and
     * variances 1.
     */
    public static MixtureCase choose(Choices c, int dim, int minK) {
        int k = c.integer("K", minK, 5);
        double[] w = new double[k];
        double total = 0;
        for (int i = 0; i < k; i++) {
            w[i] = c.real("w", 0.2, 1.0);
            total += w[i];
        }
        double[][] mu = new double[k][];
        double[][] var = new double[k][dim];
        for (int i = 0; i < k; i++) {
            w[i] /= total;
            mu[i] = c.data("mu", dim);
            for (int d = 0; d < dim; d++) {
                mu[i][d] *= 2;
                var[i][d] = Math.pow(10, c.real("logVar", -2, 0));
            }
        }
        double sum = 0;
        for (int i = 0; i < k - 1; i++) {
            sum += w[i];
        }
        w[k - 1] = 1.0 - sum;
        return new MixtureCase(w, mu, var);
    }

    /** The number of components. */
    public int components() {
        return weights.length;
    }

    /** The mixture. */
    public GaussianMixture mixture() {
        return new GaussianMixture(weights, means, variances);
    }

    /**
     * The size of the logits that the responsibilities are computed from, at one point z with
     * coefficients alpha and sigma: {@code Lambda = |lse| + sum_k r_k |l_k|}, with
     * {@code l_k = log pi_k + log N(z; alpha mu_k, C_k)}, {@code lse = logsumexp_k l_k},
     * {@code r_k = exp(l_k - lse)}, over the components {@code in} marks (all when null), evaluated
     * here in plain doubles.
     *
     * <p>Why it matters: the library's softmax is {@code exp(l - logsumexp(l))}, and the subtraction of
     * two numbers of size |l| leaves an absolute error of a few {@code u |l|} in the exponent, so
     * each r_k carries a <em>relative</em> error of about {@code u (|l_k| + |lse|)} times the few
     * roundings in l_k (about 8 in all), and their sum misses 1 by up to about
     * {@code 4 eps Lambda}. For a point a million away from every mean, l is about -5e11 and the
     * responsibilities lose 5 of their 16 digits; an identity whose two sides weight differently
     * by r (Tweedie: z/alpha is not weighted by r, the posterior means are) inherits that.
     */
    public double logitScale(double[] z, double alpha, double sigma, boolean[] in) {
        int k = weights.length;
        double[] l = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            if (in != null && !in[i]) {
                continue;
            }
            double sum = Math.log(weights[i]);
            for (int d = 0; d < z.length; d++) {
                double c = alpha * alpha * variances[i][d] + sigma * sigma;
                double diff = z[d] - alpha * means[i][d];
                sum -= 0.5 * (diff * diff / c + Math.log(2 * Math.PI * c));
            }
            l[i] = sum;
            max = Math.max(max, sum);
        }
        double total = 0;
        for (int i = 0; i < k; i++) {
            if (in == null || in[i]) {
                total += Math.exp(l[i] - max);
            }
        }
        double lse = max + Math.log(total);
        double weighted = 0;
        for (int i = 0; i < k; i++) {
            if (in == null || in[i]) {
                weighted += Math.exp(l[i] - lse) * Math.abs(l[i]);
            }
        }
        return Math.abs(lse) + weighted;
    }

    @Override
    public String toString() {
        return "Mixture(K = " + weights.length + ", pi = " + Arrays.toString(weights) + ", mu = "
                + Arrays.deepToString(means) + ", var = " + Arrays.deepToString(variances) + ")";
    }
}
