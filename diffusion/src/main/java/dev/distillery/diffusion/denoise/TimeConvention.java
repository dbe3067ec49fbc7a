package dev.distillery.diffusion.denoise;

import dev.distillery.diffusion.schedule.NoiseSchedule;

/**
 * How continuous time t in [0, 1] (the {@link Denoiser} convention) is fed to a network: the
 * networks of the literature take a continuous t, a discrete index, the log-SNR
 * {@code lambda(t)} (VDM), or the EDM noise level {@code sigma_edm(t) = sigma/alpha} (or a function
 * of it, such as EDM's {@code c_noise = ln(sigma)/4}, which a {@link ModelFunction} applies itself).
 */
@FunctionalInterface
public interface TimeConvention {
    /** The network's time input for continuous time {@code t} under schedule {@code s}. */
    double toModel(NoiseSchedule s, double t);

    /** Continuous t as is. */
    static TimeConvention continuous() {
        return (s, t) -> t;
    }

    /**
     * The discrete index of a network trained on integer steps 0..T: {@code round(t T)}. Samplers
     * evaluate such a network at {@code t = i / T} (with the schedule
     * {@code DiscreteSchedule.asContinuous()}), where the rounding only removes the error of
     * {@code (i / T) T}; at other times it picks the nearest trained step.
     */
    static TimeConvention discreteIndex(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps = " + steps + " is outside the allowed range [1, " + Integer.MAX_VALUE + "]");
        }
        return (s, t) -> Math.rint(t * steps);
    }

    /** The unrounded continuous index {@code t T} (networks trained on fractional steps). */
    static TimeConvention scaledIndex(int steps) {
        return (s, t) -> t * steps;
    }

    /** The log-SNR {@code lambda(t) = log(alpha^2/sigma^2)} (MATH 0). */
    static TimeConvention logSnr() {
        return NoiseSchedule::logSnr;
    }

    /** The EDM noise level {@code sigma_edm(t) = sigma(t)/alpha(t)} (MATH 0). */
    static TimeConvention edmSigma() {
        return NoiseSchedule::sigmaEdm;
    }
}
