package dev.distillery.diffusion.sampling;

import dev.distillery.autograd.Tensor;

/**
 * The reverse-step variance of DDPM ancestral sampling on a respaced grid, from step t to the
 * previous grid step p &lt; t (p = 0 after the last), in diffusers' {@code DDPMScheduler} terms
 * ({@code variance_type}): with the respaced {@code beta'_t = 1 - abar_t / abar_p} and
 * {@code beta_tilde'_t = (1 - abar_p) / (1 - abar_t) beta'_t} (Ho et al. 2020, eq. 7, with the
 * respaced beta as in Nichol and Dhariwal 2021, section 4), clamped below at 1e-20 as diffusers
 * clamps it:
 * <ul>
 *   <li>FIXED_SMALL: {@code beta_tilde'_t} ({@code "fixed_small"});</li>
 *   <li>FIXED_LARGE: {@code beta'_t} ({@code "fixed_large"});</li>
 *   <li>LEARNED_RANGE: {@code exp(f log beta'_t + (1 - f) log beta_tilde'_t)}, {@code f = (v + 1)/2}
 *       for the model's output v in [-1, 1] (Nichol and Dhariwal 2021, eq. 15;
 *       {@code "learned_range"}).</li>
 * </ul>
 */
public enum DdpmVariance {
    FIXED_SMALL, FIXED_LARGE, LEARNED_RANGE;

    /** diffusers' lower clamp of the posterior variance, so its logarithm stays finite. */
    static final double MIN_VARIANCE = 1e-20;

    /** {@code beta'_t = 1 - abar_t / abar_p}. */
    public static double respacedBeta(double abarT, double abarPrev) {
        return 1 - abarT / abarPrev;
    }

    /** {@code max(1e-20, (1 - abar_p) / (1 - abar_t) beta'_t)}. */
    public static double respacedBetaTilde(double abarT, double abarPrev) {
        return Math.max(MIN_VARIANCE, (1 - abarPrev) / (1 - abarT) * respacedBeta(abarT, abarPrev));
    }

    /**
     * The variance of a fixed type.
     *
     * @throws IllegalStateException for LEARNED_RANGE, which needs the model's output ({@link #learned})
     */
    public double variance(double abarT, double abarPrev) {
        return switch (this) {
            case FIXED_SMALL -> respacedBetaTilde(abarT, abarPrev);
            case FIXED_LARGE -> respacedBeta(abarT, abarPrev);
            case LEARNED_RANGE -> throw new IllegalStateException("learned_range needs the model's variance output");
        };
    }

    /** LEARNED_RANGE's variance for the model's per-element output v (any dtype, same shape as x). */
    public static Tensor learned(Tensor v, double abarT, double abarPrev) {
        double maxLog = Math.log(respacedBeta(abarT, abarPrev));
        double minLog = Math.log(respacedBetaTilde(abarT, abarPrev));
        Tensor frac = v.add(1.0).mul(0.5);
        return frac.mul(maxLog).add(frac.rsub(1.0).mul(minLog)).exp();
    }
}
