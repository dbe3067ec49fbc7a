package dev.distillery.diffusion.identities;

import dev.distillery.diffusion.mixture.GaussianMixture;
import java.util.SplittableRandom;

/** Random diagonal Gaussian mixtures for the identities: K in [1, 5], D in [1, 3]. */
final class RandomMixtures {
    private RandomMixtures() {}

    /** Means ~ N(0, 4 I), variances log-uniform in [0.01, 1], weights from U(0.2, 1) normalized. */
    static GaussianMixture draw(SplittableRandom r, int dim) {
        int k = 1 + r.nextInt(5);
        double[] w = new double[k];
        double total = 0;
        for (int i = 0; i < k; i++) {
            w[i] = 0.2 + 0.8 * r.nextDouble();
            total += w[i];
        }
        double[][] mu = new double[k][dim];
        double[][] var = new double[k][dim];
        for (int i = 0; i < k; i++) {
            w[i] /= total;
            for (int d = 0; d < dim; d++) {
                mu[i][d] = 2 * Inputs.normal(r);
                var[i][d] = Math.exp(Math.log(0.01) * r.nextDouble());
            }
        }
        double sum = 0;
        for (int i = 0; i < k - 1; i++) {
            sum += w[i];
        }
        w[k - 1] = 1.0 - sum;
        return new GaussianMixture(w, mu, var);
    }
}
