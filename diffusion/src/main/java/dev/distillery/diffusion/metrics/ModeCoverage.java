package dev.distillery.diffusion.metrics;

import dev.distillery.diffusion.data.MixtureSpec;

/**
 * The 25-Gaussians protocol (Srivastava et al. 2017, VEEGAN; Xiao et al. 2022, DDGAN): each sample
 * is assigned to its nearest mode mu_k and is "high quality" when
 * {@code ||x - mu_k|| <= 3 s_k}; a mode is covered when at least 1% of all samples are high-quality
 * samples assigned to it.
 * <pre>
 *   hq(x)     = [min_k ||x - mu_k|| / s_k ... nearest by Euclidean distance, within 3 s_k]
 *   HQ        = (1/n) sum_j hq(x_j)
 *   covered   = #{k : (1/n) #{j : nearest(x_j) = k, hq(x_j)} >= 0.01}
 * </pre>
 */
public final class ModeCoverage {
    /** Samples within this many standard deviations of a mode count as high quality. */
    public static final double STDS = 3.0;
    /** A mode is covered when this share of the samples lands on it. */
    public static final double MIN_SHARE = 0.01;

    private ModeCoverage() {}

    /**
     * @param modesCovered number of covered modes
     * @param highQualityFraction share of samples within 3 std of their nearest mode
     * @param counts high-quality samples per mode
     */
    public record Result(int modesCovered, double highQualityFraction, int[] counts) {
    }

    /** The protocol with the default 3 std and 1%. */
    public static Result of(double[][] samples, MixtureSpec spec) {
        return of(samples, spec, STDS, MIN_SHARE);
    }

    /** The protocol with given thresholds. */
    public static Result of(double[][] samples, MixtureSpec spec, double stds, double minShare) {
        int[] counts = new int[spec.k()];
        int hq = 0;
        for (double[] x : samples) {
            int best = -1;
            double bestSq = Double.POSITIVE_INFINITY;
            for (int k = 0; k < spec.k(); k++) {
                double sq = 0;
                for (int d = 0; d < spec.dim(); d++) {
                    double diff = x[d] - spec.mean(k, d);
                    sq += diff * diff;
                }
                if (sq < bestSq) {
                    bestSq = sq;
                    best = k;
                }
            }
            if (Math.sqrt(bestSq) <= stds * spec.std(best)) {
                hq++;
                counts[best]++;
            }
        }
        int covered = 0;
        for (int c : counts) {
            if (c >= minShare * samples.length) {
                covered++;
            }
        }
        return new Result(covered, samples.length == 0 ? 0.0 : (double) hq / samples.length, counts);
    }
}
