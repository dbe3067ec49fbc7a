package dev.distillery.diffusion.schedule;

import java.util.Arrays;

/**
 * A discrete diffusion schedule with T steps, t = 1..T, defined by its one-step variances
 * {@code beta_t} (Ho et al. 2020, eqs. 2 and 4; MATH.md sections 0 and 1). Index 0 is clean data:
 * {@code abar_0 = 1}. Immutable. Factories live in {@link DiscreteSchedules}.
 *
 * <table>
 *   <caption>What each accessor returns (MATH.md section 0)</caption>
 *   <tr><td>{@link #beta(int)}</td><td>{@code beta_t}, t = 1..T</td></tr>
 *   <tr><td>{@link #oneStepSignalFactor(int)}</td><td>{@code a_t = 1 - beta_t}, t = 1..T</td></tr>
 *   <tr><td>{@link #alphaBar(int)}</td><td>{@code abar_t = prod_{i<=t} a_i}, t = 0..T</td></tr>
 *   <tr><td>{@link #alpha(int)}</td><td>signal coefficient {@code sqrt(abar_t)}</td></tr>
 *   <tr><td>{@link #sigma(int)}</td><td>noise coefficient {@code sqrt(1 - abar_t)}</td></tr>
 *   <tr><td>{@link #logSnr(int)}</td><td>{@code log(abar_t / (1 - abar_t))}</td></tr>
 * </table>
 *
 * <p><b>Precision.</b> {@code abar_t} is the cumulative product of {@code a_i} in double (relative
 * error about t/2 ulps). Its complement {@code 1 - abar_t} is kept separately as
 * {@code -expm1(sum_{i<=t} log1p(-beta_i))}, which is accurate to a few ulps <em>relative</em>
 * even when {@code abar_t} is close to 1, where {@code 1 - abar_t} would lose up to
 * {@code log10(1/beta_1)} digits (about 4 for beta_1 = 1e-4). sigma and log-SNR use this
 * complement; {@code alpha^2 + sigma^2 = 1} still holds to a few eps.
 *
 * <p><b>Zero terminal SNR.</b> {@code beta_T = 1} is allowed (only at the last step): then
 * {@code abar_T = 0}, {@code alpha(T) = 0}, {@code logSnr(T) = -Infinity}, {@code sigmaEdm(T) =
 * +Infinity}, and no accessor returns NaN.
 */
public final class DiscreteSchedule {
    private final String name;
    private final double[] betas;          // [0] unused (0.0), [t] = beta_t
    private final double[] alphaBar;       // [t] = abar_t, [0] = 1
    private final double[] oneMinusAlphaBar; // [t] = 1 - abar_t, stable, [0] = 0
    private final double[] logSnr;         // [t] = lambda_t, [0] = +Infinity

    private DiscreteSchedule(String name, double[] betas, double[] alphaBar,
                             double[] oneMinusAlphaBar, double[] logSnr) {
        this.name = name;
        this.betas = betas;
        this.alphaBar = alphaBar;
        this.oneMinusAlphaBar = oneMinusAlphaBar;
        this.logSnr = logSnr;
    }

    /**
     * Builds a schedule from {@code beta_1..beta_T} ({@code betas[t - 1] = beta_t}): each in
     * (0, 1), except that the last may be exactly 1 (zero terminal SNR).
     *
     * @param name a short label for tables and messages, e.g. "linear"
     * @param betas the one-step variances (not modified; copied)
     */
    public static DiscreteSchedule fromBetas(String name, double[] betas) {
        int steps = Checks.steps(betas.length);
        double[] b = new double[steps + 1];
        double[] abar = new double[steps + 1];
        double[] comp = new double[steps + 1];
        double[] lambda = new double[steps + 1];
        abar[0] = 1.0;
        comp[0] = 0.0;
        lambda[0] = Double.POSITIVE_INFINITY;
        double logAbar = 0.0; // sum_{i<=t} log1p(-beta_i)
        for (int t = 1; t <= steps; t++) {
            double beta = betas[t - 1];
            boolean lastMayBeOne = t == steps && beta == 1.0;
            if (!(beta > 0.0 && beta < 1.0) && !lastMayBeOne) {
                throw Checks.outside("beta_" + t, beta,
                        "(0, 1) (beta_T = 1 is allowed only at the last step t = T = " + steps + ")");
            }
            b[t] = beta;
            abar[t] = abar[t - 1] * (1.0 - beta);
            logAbar += StrictMath.log1p(-beta);
            comp[t] = -StrictMath.expm1(logAbar);
            lambda[t] = StrictMath.log(abar[t]) - StrictMath.log(comp[t]);
        }
        return new DiscreteSchedule(name, b, abar, comp, lambda);
    }

    /** Number of diffusion steps T. */
    public int steps() {
        return betas.length - 1;
    }

    /** A short label ("linear", "cosine", ...). */
    public String name() {
        return name;
    }

    /** One-step noise variance {@code beta_t}, t = 1..T. */
    public double beta(int t) {
        return betas[checkStep(t)];
    }

    /** One-step signal factor {@code a_t = 1 - beta_t} (Ho et al.'s alpha_t), t = 1..T. */
    public double oneStepSignalFactor(int t) {
        return 1.0 - betas[checkStep(t)];
    }

    /** Cumulative product {@code abar_t = prod_{i<=t} (1 - beta_i)}, t = 0..T, {@code abar_0 = 1}. */
    public double alphaBar(int t) {
        return alphaBar[checkIndex(t)];
    }

    /** {@code 1 - abar_t}, computed as {@code -expm1(sum log1p(-beta_i))} (see class notes). */
    public double oneMinusAlphaBar(int t) {
        return oneMinusAlphaBar[checkIndex(t)];
    }

    /** Signal coefficient {@code alpha(t) = sqrt(abar_t)}. */
    public double alpha(int t) {
        return Math.sqrt(alphaBar[checkIndex(t)]);
    }

    /** Noise coefficient {@code sigma(t) = sqrt(1 - abar_t)}. */
    public double sigma(int t) {
        return Math.sqrt(oneMinusAlphaBar[checkIndex(t)]);
    }

    /**
     * {@code lambda_t = log(abar_t) - log(1 - abar_t)}; +Infinity at t = 0, -Infinity where
     * {@code abar_t = 0} (zero terminal SNR).
     */
    public double logSnr(int t) {
        return logSnr[checkIndex(t)];
    }

    /** {@code snr_t = abar_t / (1 - abar_t)}. */
    public double snr(int t) {
        return alphaBar[checkIndex(t)] / oneMinusAlphaBar[t];
    }

    /** EDM noise level {@code sigma_edm = sigma / alpha = sqrt((1 - abar_t) / abar_t)}. */
    public double sigmaEdm(int t) {
        return sigma(t) / alpha(t);
    }

    /** The betas {@code beta_1..beta_T} as a fresh array ({@code result[t - 1] = beta_t}). */
    public double[] betas() {
        return Arrays.copyOfRange(betas, 1, betas.length);
    }

    /**
     * Continuous step index in [0, T] whose (interpolated) log-SNR is {@code logSnr}; the inverse of
     * {@link #logSnr(int)} on the grid, extended by the interpolation of {@link #asContinuous()}
     * (piecewise linear in {@code abar}). Values above {@code lambda_0 = +Infinity} cannot occur;
     * values at or below {@code lambda_T} give T.
     */
    public double indexFromLogSnr(double lambda) {
        Checks.logSnr(lambda);
        int steps = steps();
        if (lambda >= logSnr[0]) {
            return 0.0;
        }
        if (lambda <= logSnr[steps]) {
            return steps;
        }
        // Largest k with logSnr[k] >= lambda; then logSnr[k + 1] < lambda (the array is non-increasing).
        int lo = 0;
        int hi = steps;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (logSnr[mid] >= lambda) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        int k = lo;
        // abar and 1 - abar are both linear on the segment; solve with whichever target is
        // small (and therefore known to full relative precision).
        double targetComp = Sigmoid.of(-lambda); // 1 - abar = sigma^2 = sigmoid(-lambda)
        double w;
        double dComp = oneMinusAlphaBar[k + 1] - oneMinusAlphaBar[k];
        double dAbar = alphaBar[k] - alphaBar[k + 1];
        if ((targetComp <= 0.5 && dComp > 0.0) || !(dAbar > 0.0)) {
            w = (targetComp - oneMinusAlphaBar[k]) / dComp;
        } else {
            w = (alphaBar[k] - Sigmoid.of(lambda)) / dAbar;
        }
        return k + Math.min(1.0, Math.max(0.0, w));
    }

    /** Continuous step index whose EDM noise level is {@code s}: {@code indexFromLogSnr(-2 log s)}. */
    public double indexFromSigmaEdm(double s) {
        Checks.sigmaEdm(s);
        return indexFromLogSnr(-2.0 * StrictMath.log(s));
    }

    /**
     * This schedule as a continuous {@link NoiseSchedule} with {@code u = t / T}: between grid points
     * {@code abar(u)} is interpolated <em>linearly in abar</em> (and therefore also in
     * {@code 1 - abar}), then {@code alpha = sqrt(abar)}, {@code sigma = sqrt(1 - abar)},
     * {@code lambda = log(abar) - log(1 - abar)}. This choice is variance preserving, strictly
     * monotone where abar is, finite at both ends (it handles {@code abar_0 = 1} and a zero terminal
     * {@code abar_T = 0}, where a log-SNR interpolation would meet infinities), and its inverse is in
     * closed form. On the grid it reproduces the discrete values up to the rounding of
     * {@code (t / T) * T}.
     */
    public NoiseSchedule asContinuous() {
        return new InterpolatedDiscreteSchedule(this);
    }

    /** Linear interpolation of abar at continuous index x in [0, T]; see {@link #asContinuous()}. */
    double interpolatedAlphaBar(double x) {
        int k = Math.min((int) Math.floor(x), steps() - 1);
        double w = x - k;
        return w == 0.0 ? alphaBar[k] : (1.0 - w) * alphaBar[k] + w * alphaBar[k + 1];
    }

    /** Linear interpolation of {@code 1 - abar} at continuous index x in [0, T]. */
    double interpolatedOneMinusAlphaBar(double x) {
        int k = Math.min((int) Math.floor(x), steps() - 1);
        double w = x - k;
        return w == 0.0 ? oneMinusAlphaBar[k] : (1.0 - w) * oneMinusAlphaBar[k] + w * oneMinusAlphaBar[k + 1];
    }

    private int checkIndex(int t) {
        if (t < 0 || t >= betas.length) {
            throw Checks.outside("t", t, "[0, " + steps() + "] (0 = clean data)");
        }
        return t;
    }

    private int checkStep(int t) {
        if (t < 1 || t >= betas.length) {
            throw Checks.outside("t", t, "[1, " + steps() + "] (beta_t is defined for steps 1..T)");
        }
        return t;
    }

    @Override
    public String toString() {
        return "DiscreteSchedule[" + name + ", T = " + steps() + "]";
    }
}
