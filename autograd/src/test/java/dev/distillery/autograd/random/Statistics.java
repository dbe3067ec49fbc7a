package dev.distillery.autograd.random;

import java.util.Arrays;

/** Test-only distribution checks. */
final class Statistics {
    private Statistics() {
    }

    /**
     * Kolmogorov-Smirnov distance {@code D = sup_x |F_n(x) - Phi(x)|} of a sample to N(0, 1),
     * evaluated on both sides of each jump of the empirical CDF.
     */
    static double ksDistanceToNormal(double[] sample) {
        double[] z = sample.clone();
        Arrays.sort(z);
        int n = z.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            double f = phi(z[i]);
            d = Math.max(d, Math.max((i + 1.0) / n - f, f - (double) i / n));
        }
        return d;
    }

    /**
     * Standard normal CDF via {@code Phi(x) = erfc(-x / sqrt 2) / 2}, with erfc from Numerical
     * Recipes' Chebyshev fit (relative error below 1.2e-7), far below the KS tolerances used.
     */
    static double phi(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2.0));
    }

    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2.0 - r;
    }
}
