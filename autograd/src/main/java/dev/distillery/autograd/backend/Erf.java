package dev.distillery.autograd.backend;

/** The error function in double precision (the JDK has none). */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

    private Erf() {
    }

    /**
     * {@code erf(x)}. For |x| < 3 the series {@code erf x = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1}
     * / (2n+1)!!} (all terms positive, so no cancellation); beyond, {@code 1 - erfc(x)} with the
     * continued fraction {@code erfc x = e^{-x^2}/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))}.
     * Relative error a few ulps.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax >= 6.0) {
            return Math.copySign(1.0, x);
        }
        if (ax < 3.0) {
            double x2 = x * x;
            double term = x;
            double sum = x;
            for (int n = 1; n < 200; n++) {
                term *= 2.0 * x2 / (2 * n + 1);
                sum += term;
                if (Math.abs(term) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
        }
        return Math.copySign(1.0 - erfcLarge(ax), x);
    }

    /** erfc for x >= 3 by the continued fraction, evaluated bottom-up with 60 levels. */
    private static double erfcLarge(double x) {
        double f = x;
        for (int n = 60; n >= 1; n--) {
            f = x + (n / 2.0) / f;
        }
        return ONE_OVER_SQRT_PI * Math.exp(-x * x) / f;
    }
}
