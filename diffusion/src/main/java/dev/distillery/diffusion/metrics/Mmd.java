package dev.distillery.diffusion.metrics;

/**
 * Squared maximum mean discrepancy with an RBF kernel averaged over bandwidths (Gretton et al.
 * 2012, unbiased estimator eq. 3):
 * <pre>
 *   k(a, b)  = (1/|H|) sum_{h in H} exp(-||a - b||^2 / (2 h^2))
 *   MMD^2_u  = 1/(m(m-1)) sum_{i != j} k(x_i, x_j) + 1/(n(n-1)) sum_{i != j} k(y_i, y_j)
 *              - 2/(mn) sum_{i, j} k(x_i, y_j)
 * </pre>
 * Unbiased, so it can be slightly negative when the two samples come from the same distribution.
 */
public final class Mmd {
    private Mmd() {}

    /** MMD^2_u between samples x (m x D) and y (n x D), m, n &gt;= 2. */
    public static double squared(double[][] x, double[][] y, double[] bandwidths) {
        if (x.length < 2 || y.length < 2) {
            throw new IllegalArgumentException("MMD needs at least 2 points per sample, got " + x.length + " and " + y.length);
        }
        double xx = offDiagonalMean(x, bandwidths);
        double yy = offDiagonalMean(y, bandwidths);
        double xy = 0;
        for (double[] a : x) {
            for (double[] b : y) {
                xy += kernel(a, b, bandwidths);
            }
        }
        return xx + yy - 2.0 * xy / ((double) x.length * y.length);
    }

    /** The averaged RBF kernel. */
    public static double kernel(double[] a, double[] b, double[] bandwidths) {
        double sq = 0;
        for (int d = 0; d < a.length; d++) {
            double diff = a[d] - b[d];
            sq += diff * diff;
        }
        double k = 0;
        for (double h : bandwidths) {
            k += Math.exp(-sq / (2 * h * h));
        }
        return k / bandwidths.length;
    }

    private static double offDiagonalMean(double[][] p, double[] bw) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            for (int j = i + 1; j < p.length; j++) {
                s += kernel(p[i], p[j], bw);
            }
        }
        return 2.0 * s / ((double) p.length * (p.length - 1));
    }
}
