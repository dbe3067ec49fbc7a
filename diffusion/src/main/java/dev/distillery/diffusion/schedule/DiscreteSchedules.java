package dev.distillery.diffusion.schedule;

/**
 * Factories for the discrete schedules of MATH.md section 0, with the papers' defaults.
 * Every factory validates its hyperparameters and throws {@link IllegalArgumentException} naming the
 * parameter, its value and the allowed range.
 */
public final class DiscreteSchedules {
    /** Ho et al. 2020 (DDPM), section 4: beta from 1e-4 to 0.02 over T = 1000 steps. */
    public static final double LINEAR_BETA_START = 1e-4;
    /** See {@link #LINEAR_BETA_START}. */
    public static final double LINEAR_BETA_END = 0.02;
    /** Stable Diffusion (LDM) "scaled_linear": sqrt(beta) from sqrt(0.00085) to sqrt(0.012). */
    public static final double SCALED_LINEAR_BETA_START = 0.00085;
    /** See {@link #SCALED_LINEAR_BETA_START}. */
    public static final double SCALED_LINEAR_BETA_END = 0.012;
    /** Nichol &amp; Dhariwal 2021 (improved DDPM), eq. 17: offset s = 0.008. */
    public static final double COSINE_OFFSET = 0.008;
    /** Nichol &amp; Dhariwal 2021: betas clipped to at most 0.999 to avoid a singularity at t = T. */
    public static final double COSINE_MAX_BETA = 0.999;
    /** The usual number of steps, T = 1000. */
    public static final int DEFAULT_STEPS = 1000;

    private DiscreteSchedules() {}

    /** {@link #linear(int, double, double)} with DDPM's 1e-4 .. 0.02. */
    public static DiscreteSchedule linear(int steps) {
        return linear(steps, LINEAR_BETA_START, LINEAR_BETA_END);
    }

    /**
     * Linear betas: {@code beta_t = (1 - w) betaStart + w betaEnd}, {@code w = (t - 1) / (T - 1)},
     * t = 1..T (w = 0 when T = 1). The convex-combination form makes both endpoints exact.
     */
    public static DiscreteSchedule linear(int steps, double betaStart, double betaEnd) {
        checkBetaRange(steps, betaStart, betaEnd);
        double[] betas = new double[steps];
        for (int t = 1; t <= steps; t++) {
            double w = fraction(t, steps);
            betas[t - 1] = (1.0 - w) * betaStart + w * betaEnd;
        }
        return DiscreteSchedule.fromBetas("linear", betas);
    }

    /** {@link #scaledLinear(int, double, double)} with Stable Diffusion's 0.00085 .. 0.012. */
    public static DiscreteSchedule scaledLinear(int steps) {
        return scaledLinear(steps, SCALED_LINEAR_BETA_START, SCALED_LINEAR_BETA_END);
    }

    /**
     * "Scaled linear" (Stable Diffusion): sqrt(beta) is linear,
     * {@code beta_t = ((1 - w) sqrt(betaStart) + w sqrt(betaEnd))^2}, {@code w = (t - 1) / (T - 1)}.
     */
    public static DiscreteSchedule scaledLinear(int steps, double betaStart, double betaEnd) {
        checkBetaRange(steps, betaStart, betaEnd);
        double r0 = Math.sqrt(betaStart);
        double r1 = Math.sqrt(betaEnd);
        double[] betas = new double[steps];
        for (int t = 1; t <= steps; t++) {
            double w = fraction(t, steps);
            double r = (1.0 - w) * r0 + w * r1;
            betas[t - 1] = r * r;
        }
        return DiscreteSchedule.fromBetas("scaled_linear", betas);
    }

    /** {@link #cosine(int, double)} with s = 0.008. */
    public static DiscreteSchedule cosine(int steps) {
        return cosine(steps, COSINE_OFFSET);
    }

    /**
     * Cosine schedule (Nichol &amp; Dhariwal 2021, eq. 17): {@code abar(t) = f(t) / f(0)} with
     * {@code f(t) = cos^2(theta_t)}, {@code theta_t = ((t/T + s) / (1 + s)) pi/2}. The betas are
     * {@code beta_t = 1 - abar(t)/abar(t-1)}, <b>clipped to at most 0.999</b>, and abar is then
     * <b>recomputed as the cumulative product of the clipped betas</b> (as the reference code does),
     * so the stored abar differs from f(t)/f(0) only where a clip happened (typically t = T only,
     * where f(T) = 0 would give beta_T = 1).
     *
     * <p>To avoid cancellation in {@code 1 - ratio}, the beta is evaluated with the identity
     * {@code cos^2 a - cos^2 b = sin(a + b) sin(b - a)}:
     * {@code beta_t = sin(theta_{t-1} + theta_t) sin(pi / (2 T (1 + s))) / cos^2(theta_{t-1})},
     * accurate to a few ulps relative.
     *
     * @param offset the small offset s &gt;= 0 that keeps beta_1 from being too small
     */
    public static DiscreteSchedule cosine(int steps, double offset) {
        Checks.steps(steps);
        if (!(offset >= 0.0 && Double.isFinite(offset))) {
            throw Checks.outside("s (cosine offset)", offset, "[0, +Infinity), finite");
        }
        double halfPi = 0.5 * Math.PI;
        double thetaStep = halfPi / (steps * (1.0 + offset));
        double[] betas = new double[steps];
        for (int t = 1; t <= steps; t++) {
            double prev = ((double) (t - 1) / steps + offset) / (1.0 + offset) * halfPi;
            double cur = ((double) t / steps + offset) / (1.0 + offset) * halfPi;
            double cosPrev = StrictMath.cos(prev);
            double beta = StrictMath.sin(prev + cur) * StrictMath.sin(thetaStep) / (cosPrev * cosPrev);
            betas[t - 1] = Math.min(beta, COSINE_MAX_BETA);
        }
        return DiscreteSchedule.fromBetas("cosine", betas);
    }

    /**
     * Zero terminal SNR rescaling (Lin et al. 2024, "Common diffusion noise schedules and sample
     * steps are flawed", Algorithm 1): with {@code r_t = sqrt(abar_t)}, t = 1..T,
     * <pre>
     *   r'_t = (r_t - r_T) * r_1 / (r_1 - r_T)       (first unchanged, last exactly 0)
     *   abar'_t = r'_t^2,   beta'_1 = 1 - abar'_1,   beta'_t = 1 - abar'_t / abar'_{t-1}
     * </pre>
     * so {@code beta'_T = 1} and {@code alpha(T) = 0}, {@code logSnr(T) = -Infinity}.
     *
     * <p>The same numbers are evaluated without cancellation (a literal {@code 1 - ratio} loses
     * up to {@code log10(1/beta)} digits): with the step gaps
     * {@code d_t = r_{t-1} - r_t = abar_{t-1} beta_t / (r_{t-1} + r_t)},
     * <pre>
     *   r'_t = scale * sum_{i=t+1..T} d_i,   scale = r_1 / sum_{i=2..T} d_i
     *   beta'_t = scale d_t (r'_{t-1} + r'_t) / r'_{t-1}^2     (t = 2..T-1)
     *   beta'_1 = beta_1 (since abar'_1 = abar_1),   beta'_T = 1
     * </pre>
     * The result is rebuilt from the new betas (abar as their cumulative product), so
     * {@code alpha(1)} is the original's exactly and {@code alpha(T)} is exactly 0.
     *
     * @param schedule a schedule with T &gt;= 2 and {@code abar_1 > abar_T} (not modified)
     */
    public static DiscreteSchedule rescaleZeroTerminalSnr(DiscreteSchedule schedule) {
        int steps = schedule.steps();
        if (steps < 2) {
            throw Checks.outside("steps", steps, "[2, " + Integer.MAX_VALUE + "] (zero terminal SNR rescaling)");
        }
        double[] gap = new double[steps + 1]; // gap[t] = r_{t-1} - r_t, t = 2..T
        for (int t = 2; t <= steps; t++) {
            gap[t] = schedule.alphaBar(t - 1) * schedule.beta(t) / (schedule.alpha(t - 1) + schedule.alpha(t));
        }
        double[] shifted = new double[steps + 1]; // shifted[t] = r_t - r_T, summed from the small end
        for (int t = steps - 1; t >= 1; t--) {
            shifted[t] = shifted[t + 1] + gap[t + 1];
        }
        double scale = schedule.alpha(1) / shifted[1];
        double[] betas = new double[steps];
        betas[0] = schedule.beta(1);
        for (int t = 2; t < steps; t++) {
            double prev = scale * shifted[t - 1];
            double cur = scale * shifted[t];
            betas[t - 1] = scale * gap[t] * (prev + cur) / (prev * prev);
        }
        betas[steps - 1] = 1.0;
        return DiscreteSchedule.fromBetas(schedule.name() + "+zero_terminal_snr", betas);
    }

    private static void checkBetaRange(int steps, double betaStart, double betaEnd) {
        Checks.steps(steps);
        Checks.openUnit("betaStart", betaStart);
        Checks.openUnit("betaEnd", betaEnd);
        Checks.ordered("betaStart", betaStart, "betaEnd", betaEnd);
    }

    /** {@code w = (t - 1) / (T - 1)}, or 0 when T = 1. */
    private static double fraction(int t, int steps) {
        return steps == 1 ? 0.0 : (double) (t - 1) / (steps - 1);
    }
}
