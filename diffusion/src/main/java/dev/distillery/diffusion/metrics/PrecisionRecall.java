package dev.distillery.diffusion.metrics;

/**
 * Improved precision and recall (Kynkaanniemi et al. 2019): each set defines a manifold, the union
 * of balls around its points with radius the distance to the point's k-th nearest neighbour in the
 * same set (k = 3 in the paper);
 * <pre>
 *   precision = (1/|G|) sum_{g in G} [g in manifold(R)]     (how many generated points look real)
 *   recall    = (1/|R|) sum_{r in R} [r in manifold(G)]     (how much of the real data is covered)
 * </pre>
 * with {@code x in manifold(S)} when {@code ||x - s|| <= r_k(s)} for some s in S. Quadratic time.
 */
public final class PrecisionRecall {
    /** The paper's neighbourhood size. */
    public static final int DEFAULT_K = 3;

    private PrecisionRecall() {}

    /**
     * @param precision share of generated points inside the real manifold
     * @param recall share of real points inside the generated manifold
     */
    public record Result(double precision, double recall) {
    }

    /** With k = 3. */
    public static Result of(double[][] real, double[][] generated) {
        return of(real, generated, DEFAULT_K);
    }

    /** With neighbourhood size k (each set needs more than k points). */
    public static Result of(double[][] real, double[][] generated, int k) {
        double[] realRadii = kthNeighbourDistances(real, k);
        double[] genRadii = kthNeighbourDistances(generated, k);
        return new Result(coverage(generated, real, realRadii), coverage(real, generated, genRadii));
    }

    /** Share of {@code queries} inside the manifold of {@code support} with the given radii. */
    static double coverage(double[][] queries, double[][] support, double[] radii) {
        int inside = 0;
        for (double[] q : queries) {
            for (int s = 0; s < support.length; s++) {
                if (distance(q, support[s]) <= radii[s]) {
                    inside++;
                    break;
                }
            }
        }
        return (double) inside / queries.length;
    }

    /**
     * Distance of each point to its k-th nearest other point of the same set. Keeps the k smallest
     * distances by insertion instead of sorting all n - 1 (O(n^2 k), not O(n^2 log n)): at 2000
     * points this is what lets the demo measure dozens of sample sets.
     */
    static double[] kthNeighbourDistances(double[][] pts, int k) {
        if (pts.length <= k) {
            throw new IllegalArgumentException("k-NN radii need more than k = " + k + " points, got " + pts.length);
        }
        double[] radii = new double[pts.length];
        double[] best = new double[k];
        for (int i = 0; i < pts.length; i++) {
            java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
            for (int j = 0; j < pts.length; j++) {
                if (j == i) {
                    continue;
                }
                double d = distance(pts[i], pts[j]);
                if (d < best[k - 1]) {
                    int p = k - 1;
                    while (p > 0 && best[p - 1] > d) {
                        best[p] = best[p - 1];
                        p--;
                    }
                    best[p] = d;
                }
            }
            radii[i] = best[k - 1];
        }
        return radii;
    }

    static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double diff = a[i] - b[i];
            s += diff * diff;
        }
        return Math.sqrt(s);
    }
}
