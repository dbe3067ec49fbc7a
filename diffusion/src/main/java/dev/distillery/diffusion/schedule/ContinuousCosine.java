package dev.distillery.diffusion.schedule;

/**
 * The continuous cosine schedule of progressive distillation (Salimans &amp; Ho 2022;
 * MATH.md section 0): {@code alpha(t) = cos(pi t / 2)}, {@code sigma(t) = sin(pi t / 2)}, so
 * {@code lambda(t) = -2 log tan(pi t / 2)} and {@code sigma_edm(t) = tan(pi t / 2)}. Variance
 * preserving.
 *
 * <p><b>Exact endpoints.</b> Progressive distillation needs {@code alpha(1) = 0} exactly (MATH.md
 * section 6.2: the 1-step student must see pure noise at t = 1), but {@code Math.cos(Math.PI / 2)} is 6.1e-17. We therefore evaluate each
 * coefficient on the half of [0, 1] where its argument is small, using
 * {@code cos(pi t / 2) = sin(pi (1 - t) / 2)}: {@code alpha(t) = sin(pi (1 - t) / 2)} for t &gt;= 1/2
 * (where {@code 1 - t} is exact by Sterbenz' lemma), so {@code alpha(1) = sin(0) = 0.0} exactly;
 * likewise {@code sigma(0) = 0.0} and {@code alpha(0) = sigma(1) = 1.0}. This also keeps small
 * values accurate to relative rounding instead of an absolute 1e-16. StrictMath makes the values
 * identical on every JVM.
 */
public final class ContinuousCosine implements NoiseSchedule {
    /** The one instance: the schedule has no parameters. */
    public static final ContinuousCosine INSTANCE = new ContinuousCosine();

    private static final double HALF_PI = 0.5 * Math.PI;

    private ContinuousCosine() {}

    /** {@code alpha(t) = cos(pi t / 2)}, exactly 0.0 at t = 1. */
    @Override
    public double alpha(double t) {
        Checks.time(t);
        return t <= 0.5 ? StrictMath.cos(HALF_PI * t) : StrictMath.sin(HALF_PI * (1.0 - t));
    }

    /** {@code sigma(t) = sin(pi t / 2)}, exactly 0.0 at t = 0. */
    @Override
    public double sigma(double t) {
        Checks.time(t);
        return t < 0.5 ? StrictMath.sin(HALF_PI * t) : StrictMath.cos(HALF_PI * (1.0 - t));
    }

    /** {@code lambda(t) = 2 (log alpha - log sigma)}: +Infinity at t = 0, -Infinity at t = 1. */
    @Override
    public double logSnr(double t) {
        return 2.0 * (StrictMath.log(alpha(t)) - StrictMath.log(sigma(t)));
    }

    /** Closed form {@code t = (2/pi) atan(exp(-lambda / 2))} (from {@code tan(pi t/2) = exp(-lambda/2)}). */
    @Override
    public double timeFromLogSnr(double logSnr) {
        Checks.logSnr(logSnr);
        return clampUnit(StrictMath.atan(StrictMath.exp(-0.5 * logSnr)) / HALF_PI);
    }

    /** Closed form {@code t = (2/pi) atan(sigma_edm)}; sigma_edm = +Infinity gives 1. */
    @Override
    public double timeFromSigmaEdm(double sigmaEdm) {
        Checks.sigmaEdm(sigmaEdm);
        return clampUnit(StrictMath.atan(sigmaEdm) / HALF_PI);
    }

    static double clampUnit(double t) {
        return Math.min(1.0, Math.max(0.0, t));
    }

    @Override
    public String toString() {
        return "ContinuousCosine[alpha = cos(pi t/2), sigma = sin(pi t/2)]";
    }
}
