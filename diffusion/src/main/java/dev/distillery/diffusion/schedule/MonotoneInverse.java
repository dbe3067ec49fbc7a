package dev.distillery.diffusion.schedule;

import java.util.function.DoubleUnaryOperator;

/**
 * Inverts a non-increasing function on [0, 1] by bisection, the fallback behind
 * {@link NoiseSchedule#timeFromLogSnr(double)} for schedules without a closed-form inverse.
 *
 * <p>Bisection needs nothing but monotonicity, so it cannot diverge; each iteration halves the
 * bracket, and it stops when the bracket is at most {@link #TIME_TOLERANCE} wide (about 47
 * iterations), or when the midpoint can no longer be split in double precision.
 */
public final class MonotoneInverse {
    /** Width of the final bracket in t: the returned t is within 1e-14 of a true preimage. */
    public static final double TIME_TOLERANCE = 1e-14;

    private MonotoneInverse() {}

    /**
     * Returns t in [0, 1] with {@code f(t) = target}, for a non-increasing f. A target above
     * {@code f(0)} gives 0, one below {@code f(1)} gives 1.
     *
     * @param f non-increasing on [0, 1] (not modified, called about 50 times)
     * @param target the value to invert, not NaN
     */
    public static double decreasingOnUnitInterval(DoubleUnaryOperator f, double target) {
        if (Double.isNaN(target)) {
            throw Checks.outside("target", target, "[-Infinity, +Infinity] (not NaN)");
        }
        if (target >= f.applyAsDouble(0.0)) {
            return 0.0;
        }
        if (target <= f.applyAsDouble(1.0)) {
            return 1.0;
        }
        double lo = 0.0; // f(lo) > target
        double hi = 1.0; // f(hi) < target
        while (hi - lo > TIME_TOLERANCE) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            double v = f.applyAsDouble(mid);
            if (v > target) {
                lo = mid;
            } else if (v < target) {
                hi = mid;
            } else {
                return mid;
            }
        }
        return 0.5 * (lo + hi);
    }
}
