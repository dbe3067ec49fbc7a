package dev.distillery.diffusion.data;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * An exact isotropic Gaussian mixture {@code p(x) = sum_k pi_k N(x; mu_k, s_k^2 I)} (MATH.md
 * section 5): the data distribution of the 25- and 8-Gaussians toys, from which an analytic
 * teacher (score, denoiser, PF-ODE in closed form) can be built. Arrays are copied in and out, so
 * the record is immutable; equality compares contents.
 *
 * @param k number of components
 * @param dim dimension of the data
 * @param weights mixture weights pi_k, positive, summing to 1 (within 1e-12)
 * @param means component means mu_k, {@code k x dim}
 * @param stds isotropic standard deviations s_k &gt; 0
 */
public record MixtureSpec(int k, int dim, double[] weights, double[][] means, double[] stds) {

    public MixtureSpec {
        if (k < 1) {
            throw new IllegalArgumentException("k = " + k + " is outside the allowed range [1, " + Integer.MAX_VALUE + "]");
        }
        if (dim < 1) {
            throw new IllegalArgumentException("dim = " + dim + " is outside the allowed range [1, " + Integer.MAX_VALUE + "]");
        }
        if (weights.length != k || means.length != k || stds.length != k) {
            throw new IllegalArgumentException("weights, means and stds must have k = " + k + " entries, got "
                    + weights.length + ", " + means.length + ", " + stds.length);
        }
        double total = 0.0;
        for (int i = 0; i < k; i++) {
            if (!(weights[i] > 0.0)) {
                throw new IllegalArgumentException("weights[" + i + "] = " + weights[i] + " is outside the allowed range (0, 1]");
            }
            if (!(stds[i] > 0.0 && Double.isFinite(stds[i]))) {
                throw new IllegalArgumentException("stds[" + i + "] = " + stds[i] + " is outside the allowed range (0, +Infinity)");
            }
            if (means[i].length != dim) {
                throw new IllegalArgumentException("means[" + i + "] has length " + means[i].length + ", expected dim = " + dim);
            }
            total += weights[i];
        }
        if (Math.abs(total - 1.0) > 1e-12) {
            throw new IllegalArgumentException("weights sum to " + total + ", expected 1 (within 1e-12)");
        }
        weights = weights.clone();
        stds = stds.clone();
        means = deepCopy(means);
    }

    /** Equal weights 1/k and a common std: the usual toy mixture. */
    public static MixtureSpec equalWeights(double[][] means, double std) {
        int k = means.length;
        double[] w = new double[k];
        double[] s = new double[k];
        Arrays.fill(w, 1.0 / k);
        Arrays.fill(s, std);
        return new MixtureSpec(k, means.length == 0 ? 0 : means[0].length, w, means, s);
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public double[][] means() {
        return deepCopy(means);
    }

    @Override
    public double[] stds() {
        return stds.clone();
    }

    /** Weight pi_i of component i (no copy). */
    public double weight(int i) {
        return weights[i];
    }

    /** Coordinate d of mean mu_i (no copy). */
    public double mean(int i, int d) {
        return means[i][d];
    }

    /** Standard deviation s_i of component i. */
    public double std(int i) {
        return stds[i];
    }

    /**
     * Draws n points: component {@code i ~ Categorical(pi)}, then {@code x = mu_i + s_i * N(0, I)}.
     * Per point it uses one {@code nextDouble} and then {@code dim} {@code nextGaussian} draws, so the
     * output is a deterministic function of the generator's state.
     */
    public double[][] sample(int n, RandomGenerator rng) {
        if (n < 0) {
            throw new IllegalArgumentException("n = " + n + " is outside the allowed range [0, " + Integer.MAX_VALUE + "]");
        }
        double[][] out = new double[n][dim];
        for (int j = 0; j < n; j++) {
            int i = pickComponent(rng.nextDouble());
            for (int d = 0; d < dim; d++) {
                out[j][d] = means[i][d] + stds[i] * rng.nextGaussian();
            }
        }
        return out;
    }

    /**
     * Exact log-density {@code log sum_k pi_k N(x; mu_k, s_k^2 I)}, with
     * {@code log N = -|x - mu|^2 / (2 s^2) - (dim/2) log(2 pi s^2)}, summed by log-sum-exp.
     */
    public double logDensity(double[] x) {
        if (x.length != dim) {
            throw new IllegalArgumentException("x has length " + x.length + ", expected dim = " + dim);
        }
        double[] terms = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            double sq = 0.0;
            for (int d = 0; d < dim; d++) {
                double diff = x[d] - means[i][d];
                sq += diff * diff;
            }
            double var = stds[i] * stds[i];
            terms[i] = Math.log(weights[i]) - sq / (2.0 * var) - 0.5 * dim * Math.log(2.0 * Math.PI * var);
            max = Math.max(max, terms[i]);
        }
        double sum = 0.0;
        for (double term : terms) {
            sum += Math.exp(term - max);
        }
        return max + Math.log(sum);
    }

    private int pickComponent(double u) {
        double cumulative = 0.0;
        for (int i = 0; i < k - 1; i++) {
            cumulative += weights[i];
            if (u < cumulative) {
                return i;
            }
        }
        return k - 1;
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MixtureSpec m && k == m.k && dim == m.dim && Arrays.equals(weights, m.weights)
                && Arrays.deepEquals(means, m.means) && Arrays.equals(stds, m.stds);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(weights) + Arrays.deepHashCode(means)) + Arrays.hashCode(stds);
    }

    @Override
    public String toString() {
        return "MixtureSpec[k=" + k + ", dim=" + dim + ", weights=" + Arrays.toString(weights)
                + ", means=" + Arrays.deepToString(means) + ", stds=" + Arrays.toString(stds) + "]";
    }
}
