package dev.distillery.diffusion.schedule;

/**
 * A noise schedule in continuous time t in [0, 1] (MATH.md section 0): the marginal of the
 * forward process is {@code z_t = alpha(t) x + sigma(t) eps}, t = 0 is (almost) clean data and
 * t = 1 is (almost) pure noise.
 *
 * <p>Names follow MATH.md: {@code alpha(t)} is the <em>signal coefficient</em> of the marginal
 * (Kingma/Salimans' alpha_t, for a discrete schedule {@code sqrt(abar_t)}), never Ho et al.'s
 * one-step factor {@code a_t = 1 - beta_t}. All methods throw {@link IllegalArgumentException}
 * for t outside [0, 1] or NaN.
 */
public interface NoiseSchedule {

    /** Signal coefficient {@code alpha(t)} of the marginal {@code q(z_t | x) = N(alpha x, sigma^2 I)}. */
    double alpha(double t);

    /** Noise coefficient {@code sigma(t)} of the marginal. */
    double sigma(double t);

    /**
     * Log signal-to-noise ratio {@code lambda(t) = log(alpha^2 / sigma^2)} (MATH.md section 0),
     * non-increasing in t; +Infinity where sigma = 0 and -Infinity where alpha = 0.
     */
    double logSnr(double t);

    /** {@code snr(t) = alpha^2 / sigma^2 = exp(lambda(t))}. */
    default double snr(double t) {
        return StrictMath.exp(logSnr(t));
    }

    /**
     * EDM / variance-exploding noise level {@code sigma_edm(t) = sigma(t) / alpha(t)}
     * (MATH.md section 0: {@code x_edm = z / alpha}); +Infinity where alpha = 0.
     */
    default double sigmaEdm(double t) {
        return sigma(t) / alpha(t);
    }

    /**
     * Inverse of {@link #logSnr}: the t in [0, 1] with {@code lambda(t) = logSnr}; values above
     * {@code lambda(0)} give 0 and values below {@code lambda(1)} give 1. The default bisects
     * using the monotonicity of lambda to a bracket of 1e-14 ({@link MonotoneInverse});
     * schedules with a closed form override it.
     */
    default double timeFromLogSnr(double logSnr) {
        Checks.logSnr(logSnr);
        return MonotoneInverse.decreasingOnUnitInterval(this::logSnr, logSnr);
    }

    /**
     * Inverse of {@link #sigmaEdm}: since {@code lambda = log(alpha^2/sigma^2) = -2 log(sigma_edm)},
     * this is {@code timeFromLogSnr(-2 log(sigmaEdm))}; sigmaEdm = 0 gives t = 0.
     */
    default double timeFromSigmaEdm(double sigmaEdm) {
        Checks.sigmaEdm(sigmaEdm);
        return timeFromLogSnr(-2.0 * StrictMath.log(sigmaEdm));
    }

    /** True when {@code alpha(t)^2 + sigma(t)^2 = 1} for every t (variance preserving, VP). */
    default boolean isVariancePreserving() {
        return true;
    }
}
