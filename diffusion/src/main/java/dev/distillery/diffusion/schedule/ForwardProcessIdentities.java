package dev.distillery.diffusion.schedule;

/**
 * Error measures for the forward-process identities of MATH.md section 1, computed in double
 * precision from a schedule alone (no tensors). The property tests and the {@code audit} command
 * call these and compare the result with a tolerance from error analysis.
 */
public final class ForwardProcessIdentities {
    private ForwardProcessIdentities() {}

    /**
     * <b>I1</b>: composing the one-step transitions {@code q(x_t | x_{t-1}) = N(sqrt(a_t) x_{t-1},
     * beta_t I)} gives the marginal {@code N(sqrt(abar_t) x_0, (1 - abar_t) I)}. Runs the variance
     * recursion {@code v_t = a_t v_{t-1} + beta_t} from {@code v_0 = 0} and the mean factor
     * {@code m_t = m_{t-1} sqrt(a_t)} from {@code m_0 = 1}, and returns
     * {@code max_t max(|v_t - (1 - abar_t)|, |m_t - sqrt(abar_t)|)} over t = 1..T.
     *
     * <p><b>Error bound.</b> Each step of either recursion makes at most three roundings (for v: the
     * product and the sum, each at most eps/2 of a value at most 1, plus the rounding of
     * {@code a_t = 1 - beta_t}, which the recursion shares with abar; for m: a square root and a
     * product); the recursions are contractive ({@code a_t <= 1}), so errors add up to about
     * {@code 2 t eps}; the references {@code 1 - abar_t} and {@code sqrt(abar_t)} carry about
     * {@code t eps} more. The result is therefore below {@code c T eps} with {@code c = 4}
     * ({@link #i1Bound(DiscreteSchedule)}).
     */
    public static double i1Error(DiscreteSchedule s) {
        double variance = 0.0;
        double meanFactor = 1.0;
        double worst = 0.0;
        for (int t = 1; t <= s.steps(); t++) {
            double a = s.oneStepSignalFactor(t);
            variance = a * variance + s.beta(t);
            meanFactor *= Math.sqrt(a);
            double varianceError = Math.abs(variance - s.oneMinusAlphaBar(t));
            double meanError = Math.abs(meanFactor - s.alpha(t));
            worst = Math.max(worst, Math.max(varianceError, meanError));
        }
        return worst;
    }

    /** The tolerance for {@link #i1Error}: {@code 4 T eps} with eps = 2^-52 (see there). */
    public static double i1Bound(DiscreteSchedule s) {
        return 4.0 * s.steps() * Math.ulp(1.0);
    }
}
