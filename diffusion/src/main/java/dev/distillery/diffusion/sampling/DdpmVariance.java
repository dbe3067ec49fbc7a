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

    /**
     * improved-diffusion's table of FIXED_LARGE variances on a (respaced) grid, index by index
     * (Nichol and Dhariwal 2021, their code's {@code np.append(posterior_variance[1], betas[1:])}):
     * {@code beta'_i = 1 - abar_i / abar_{i-1}} for grid index i &gt;= 1, and at index 0, where beta'_0
     * = 1 - abar_0 is nearly 0, the posterior variance of index 1,
     * {@code beta_tilde'_1 = (1 - abar_0) / (1 - abar_1) beta'_1}, so that the log-variance the VLB's
     * decoder term reads stays finite. Index 0 is the step to x0, where neither improved-diffusion nor
     * diffusers (nor {@link DdpmSampler}) adds noise, so this entry changes likelihoods, not samples;
     * diffusers' {@code "fixed_large"} uses beta'_0 there.
     *
     * @param abar the grid's {@code abar_0 > abar_1 > ...} (at least two entries, in (0, 1])
     */
    public static double[] improvedDiffusionFixedLarge(double[] abar) {
        if (abar.length < 2) {
            throw new IllegalArgumentException("improved-diffusion's fixed_large table needs a grid of >= 2 steps, got "
                    + abar.length);
        }
        double[] out = new double[abar.length];
        for (int i = 1; i < abar.length; i++) {
            if (!(abar[i] > 0 && abar[i] < abar[i - 1] && abar[i - 1] <= 1)) {
                throw new IllegalArgumentException("abar must decrease within (0, 1]; got abar[" + (i - 1) + "] = "
                        + abar[i - 1] + ", abar[" + i + "] = " + abar[i]);
            }
            out[i] = respacedBeta(abar[i], abar[i - 1]);
        }
        // posterior variance of index 1: beta'_1 (1 - abar_0) / (1 - abar_1), without diffusers' clamp
        out[0] = (1 - abar[0]) / (1 - abar[1]) * out[1];
        return out;
    }

    /** LEARNED_RANGE's variance for the model's per-element output v (any dtype, same shape as x). */
    public static Tensor learned(Tensor v, double abarT, double abarPrev) {
        double maxLog = Math.log(respacedBeta(abarT, abarPrev));
        double minLog = Math.log(respacedBetaTilde(abarT, abarPrev));
        Tensor frac = v.add(1.0).mul(0.5);
        return frac.mul(maxLog).add(frac.rsub(1.0).mul(minLog)).exp();
    }
}
