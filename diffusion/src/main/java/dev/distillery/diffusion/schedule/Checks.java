package dev.distillery.diffusion.schedule;

/** Argument checks whose messages name the parameter, the value and the allowed range. */
final class Checks {
    private Checks() {}

    static IllegalArgumentException outside(String name, Object value, String range) {
        return new IllegalArgumentException(
                name + " = " + value + " is outside the allowed range " + range);
    }

    /** Continuous time must lie in [0, 1]; NaN is rejected. */
    static double time(double t) {
        if (!(t >= 0.0 && t <= 1.0)) {
            throw outside("t", t, "[0, 1]");
        }
        return t;
    }

    /** A log-SNR may be any value in [-inf, +inf] but not NaN. */
    static double logSnr(double lambda) {
        if (Double.isNaN(lambda)) {
            throw outside("logSnr", lambda, "[-Infinity, +Infinity] (not NaN)");
        }
        return lambda;
    }

    /** An EDM noise level sigma/alpha lies in [0, +inf]. */
    static double sigmaEdm(double s) {
        if (!(s >= 0.0)) {
            throw outside("sigmaEdm", s, "[0, +Infinity]");
        }
        return s;
    }

    static int steps(int steps) {
        if (steps < 1) {
            throw outside("steps", steps, "[1, " + Integer.MAX_VALUE + "]");
        }
        return steps;
    }

    /** A one-step variance hyperparameter (betaStart, betaEnd) must lie in the open interval (0, 1). */
    static double openUnit(String name, double v) {
        if (!(v > 0.0 && v < 1.0)) {
            throw outside(name, v, "(0, 1)");
        }
        return v;
    }

    static void ordered(String lowName, double low, String highName, double high) {
        if (!(low <= high)) {
            throw new IllegalArgumentException(lowName + " = " + low + " must be <= " + highName
                    + " = " + high + " (allowed: 0 < " + lowName + " <= " + highName + " < 1)");
        }
    }
}
