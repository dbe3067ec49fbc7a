package dev.distillery.diffusion.schedule;

/**
 * A variance-preserving schedule whose log-SNR falls linearly in t (the fixed "linear in
 * log-SNR" schedule of Kingma et al. 2021, VDM, there written {@code gamma(t) = -lambda(t)}):
 *
 * <pre>
 *   lambda(t) = (1 - t) logSnrMax + t logSnrMin
 *   alpha(t)^2 = sigmoid(lambda(t)),   sigma(t)^2 = sigmoid(-lambda(t))
 * </pre>
 *
 * <p>so {@code alpha^2 + sigma^2 = 1} and {@code alpha^2/sigma^2 = e^lambda} (MATH.md section 0).
 * The interpolation is written as a convex combination so that the endpoints are exact:
 * {@code lambda(0) = logSnrMax}, {@code lambda(1) = logSnrMin}.
 *
 * @param logSnrMax log-SNR at t = 0 (finite)
 * @param logSnrMin log-SNR at t = 1 (finite, strictly less than logSnrMax)
 */
public record LogSnrLinear(double logSnrMax, double logSnrMin) implements NoiseSchedule {

    /** VDM's initial schedule: {@code gamma_min = -13.3, gamma_max = 5}, i.e. lambda from 13.3 to -5. */
    public static LogSnrLinear vdmDefault() {
        return new LogSnrLinear(13.3, -5.0);
    }

    public LogSnrLinear {
        if (!Double.isFinite(logSnrMax)) {
            throw Checks.outside("logSnrMax", logSnrMax, "(-Infinity, +Infinity), finite");
        }
        if (!Double.isFinite(logSnrMin) || !(logSnrMin < logSnrMax)) {
            throw Checks.outside("logSnrMin", logSnrMin, "(-Infinity, logSnrMax = " + logSnrMax + ")");
        }
    }

    /** {@code lambda(t) = (1 - t) logSnrMax + t logSnrMin}. */
    @Override
    public double logSnr(double t) {
        Checks.time(t);
        return (1.0 - t) * logSnrMax + t * logSnrMin;
    }

    /** {@code alpha(t) = sqrt(sigmoid(lambda(t)))}. */
    @Override
    public double alpha(double t) {
        return Math.sqrt(Sigmoid.of(logSnr(t)));
    }

    /** {@code sigma(t) = sqrt(sigmoid(-lambda(t)))}. */
    @Override
    public double sigma(double t) {
        return Math.sqrt(Sigmoid.of(-logSnr(t)));
    }

    /** {@code sigma_edm(t) = sigma/alpha = exp(-lambda(t) / 2)}. */
    @Override
    public double sigmaEdm(double t) {
        return StrictMath.exp(-0.5 * logSnr(t));
    }

    /** Closed form {@code t = (logSnrMax - lambda) / (logSnrMax - logSnrMin)}, clamped to [0, 1]. */
    @Override
    public double timeFromLogSnr(double logSnr) {
        Checks.logSnr(logSnr);
        return ContinuousCosine.clampUnit((logSnrMax - logSnr) / (logSnrMax - logSnrMin));
    }
}
