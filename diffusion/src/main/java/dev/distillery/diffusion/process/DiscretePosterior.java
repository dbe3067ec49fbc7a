package dev.distillery.diffusion.process;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.schedule.DiscreteSchedule;

/**
 * The forward-process posterior of a discrete schedule (Ho et al. 2020, eqs. 6-7; MATH.md section 2):
 * <pre>
 *   q(x_{t-1} | x_t, x_0) = N(mu_tilde, beta_tilde I)
 *   mu_tilde   = sqrt(abar_{t-1}) beta_t / (1 - abar_t) x_0 + sqrt(a_t) (1 - abar_{t-1}) / (1 - abar_t) x_t
 *   beta_tilde = (1 - abar_{t-1}) / (1 - abar_t) beta_t
 * </pre>
 * and, with {@code x_0 = (x_t - sigma_t eps)/alpha_t}, the eps form (I3)
 * {@code mu_tilde = (x_t - beta_t / sqrt(1 - abar_t) eps) / sqrt(a_t)}. Steps t = 1..T; at t = 1,
 * {@code beta_tilde = 0}. {@code 1 - abar} comes from {@link DiscreteSchedule#oneMinusAlphaBar}.
 */
public final class DiscretePosterior {
    private DiscretePosterior() {}

    /** Coefficient of x_0 in mu_tilde: {@code sqrt(abar_{t-1}) beta_t / (1 - abar_t)}. */
    public static double meanCoefX0(DiscreteSchedule s, int t) {
        return s.alpha(t - 1) * s.beta(t) / s.oneMinusAlphaBar(t);
    }

    /** Coefficient of x_t in mu_tilde: {@code sqrt(a_t) (1 - abar_{t-1}) / (1 - abar_t)}. */
    public static double meanCoefXt(DiscreteSchedule s, int t) {
        return Math.sqrt(s.oneStepSignalFactor(t)) * s.oneMinusAlphaBar(t - 1) / s.oneMinusAlphaBar(t);
    }

    /** {@code beta_tilde_t = (1 - abar_{t-1}) / (1 - abar_t) beta_t}. */
    public static double variance(DiscreteSchedule s, int t) {
        return s.oneMinusAlphaBar(t - 1) / s.oneMinusAlphaBar(t) * s.beta(t);
    }

    /**
     * {@code log beta_tilde_t}, with t = 1 (where beta_tilde = 0) replaced by {@code beta_tilde_2}, as
     * {@code posterior_log_variance_clipped} of Nichol &amp; Dhariwal 2021; for T = 1, {@code log beta_1}.
     */
    public static double logVarianceClipped(DiscreteSchedule s, int t) {
        if (t == 1) {
            return s.steps() >= 2 ? Math.log(variance(s, 2)) : Math.log(s.beta(1));
        }
        return Math.log(variance(s, t));
    }

    /** mu_tilde from x_0 and x_t (x_0 form). */
    public static double mean(DiscreteSchedule s, int t, double x0, double xt) {
        return meanCoefX0(s, t) * x0 + meanCoefXt(s, t) * xt;
    }

    /** mu_tilde from x_t and eps (I3): {@code (x_t - beta_t / sqrt(1 - abar_t) eps) / sqrt(a_t)}. */
    public static double meanFromEps(DiscreteSchedule s, int t, double xt, double eps) {
        return (xt - s.beta(t) / s.sigma(t) * eps) / Math.sqrt(s.oneStepSignalFactor(t));
    }

    /** mu_tilde per sample, steps {@code t[b]}, x_0 form; differentiable in x0 and xt. */
    public static Tensor mean(DiscreteSchedule s, int[] t, Tensor x0, Tensor xt) {
        double[] cx = new double[t.length];
        double[] cz = new double[t.length];
        for (int b = 0; b < t.length; b++) {
            cx[b] = meanCoefX0(s, t[b]);
            cz[b] = meanCoefXt(s, t[b]);
        }
        return x0.mul(PerSample.of(cx, x0)).add(xt.mul(PerSample.of(cz, xt)));
    }

    /** mu_tilde per sample in eps form (I3); differentiable in xt and eps. */
    public static Tensor meanFromEps(DiscreteSchedule s, int[] t, Tensor xt, Tensor eps) {
        double[] ce = new double[t.length];
        double[] inv = new double[t.length];
        for (int b = 0; b < t.length; b++) {
            ce[b] = s.beta(t[b]) / s.sigma(t[b]);
            inv[b] = 1.0 / Math.sqrt(s.oneStepSignalFactor(t[b]));
        }
        return xt.sub(eps.mul(PerSample.of(ce, xt))).mul(PerSample.of(inv, xt));
    }
}
