package dev.distillery.diffusion.metrics;

import dev.distillery.autograd.random.RngKey;
import java.util.Arrays;

/**
 * Sliced Wasserstein-2 distance (Rabin et al. 2011; Bonneel et al. 2015):
 * <pre>
 *   SW_2(P, Q)^2 = E_{theta ~ U(S^{D-1})} W_2^2(theta#P, theta#Q),
 *   W_2^2 in 1-D = int_0^1 (F^-1(u) - G^-1(u))^2 du
 * </pre>
 * estimated with {@code projections} directions {@code theta = g / ||g||}, g standard normal from
 * {@code RngKey.of(seed)}; the 1-D integral is computed exactly for the two empirical quantile
 * functions (piecewise constant on the merged grid of i/m and j/n), so sample sizes may differ.
 */
public final class SlicedWasserstein {
    private SlicedWasserstein() {}

    /** {@code SW_2} between the point sets x and y (rows are points). */
    public static double distance(double[][] x, double[][] y, int projections, long seed) {
        int dim = x[0].length;
        RngKey key = RngKey.of(seed);
        double total = 0;
        long pos = 0;
        for (int p = 0; p < projections; p++) {
            double[] theta = new double[dim];
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                theta[d] = key.normal(pos++);
                norm += theta[d] * theta[d];
            }
            norm = Math.sqrt(norm);
            for (int d = 0; d < dim; d++) {
                theta[d] /= norm;
            }
            total += wasserstein2Squared1d(project(x, theta), project(y, theta));
        }
        return Math.sqrt(total / projections);
    }

    /** Exact {@code W_2^2} between two 1-D empirical distributions (arrays are sorted in place). */
    public static double wasserstein2Squared1d(double[] a, double[] b) {
        Arrays.sort(a);
        Arrays.sort(b);
        int m = a.length;
        int n = b.length;
        int i = 0;
        int j = 0;
        double u = 0;
        double sum = 0;
        while (i < m && j < n) {
            double nextA = (double) (i + 1) / m;
            double nextB = (double) (j + 1) / n;
            double next = Math.min(nextA, nextB);
            double diff = a[i] - b[j];
            sum += (next - u) * diff * diff;
            u = next;
            if (nextA <= next) {
                i++;
            }
            if (nextB <= next) {
                j++;
            }
        }
        return sum;
    }

    private static double[] project(double[][] pts, double[] theta) {
        double[] out = new double[pts.length];
        for (int i = 0; i < pts.length; i++) {
            double s = 0;
            for (int d = 0; d < theta.length; d++) {
                s += pts[i][d] * theta[d];
            }
            out[i] = s;
        }
        return out;
    }
}
