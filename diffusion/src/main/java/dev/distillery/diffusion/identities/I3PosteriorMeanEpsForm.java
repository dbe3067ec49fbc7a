package dev.distillery.diffusion.identities;

import dev.distillery.diffusion.process.DiscretePosterior;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import java.util.SplittableRandom;

/**
 * I3 (MATH 2): with {@code x_0 = (x_t - sigma_t eps)/alpha_t}, the posterior mean
 * {@code c_0 x_0 + c_t x_t} equals {@code (x_t - beta_t / sqrt(1 - abar_t) eps) / sqrt(a_t)}.
 * Inputs: schedule, t in [1, T], {@code x_t, eps ~ N(0, I)}. Error scaled by
 * {@code S = |c_0 x_0| + |c_t x_t| + |x_t| / sqrt(a_t) + beta_t |eps| / (sigma_t sqrt(a_t))}: both
 * sides are short sums of products of values with a few eps of relative error each (the
 * coefficients from the schedule carry about {@code t eps} relative error from the cumulative
 * product, so the tolerance is {@code (2 T + 32) eps}).
 */
public final class I3PosteriorMeanEpsForm implements Identity {
    @Override public String id() { return "I3"; }
    @Override public String name() { return "posterior mean in eps form"; }
    @Override public String equation() { return "mu_tilde = (x_t - beta_t / sqrt(1 - abar_t) eps) / sqrt(a_t)"; }
    @Override public double tolerance() { return (2.0 * Inputs.MAX_STEPS + 32) * EPS; }

    @Override
    public double worstError(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double worst = 0;
        for (int c = 0; c < 16; c++) {
            DiscreteSchedule s = Inputs.discrete(r);
            int t = 1 + r.nextInt(s.steps());
            double xt = Inputs.normal(r);
            double eps = Inputs.normal(r);
            double x0 = (xt - s.sigma(t) * eps) / s.alpha(t);
            double c0 = DiscretePosterior.meanCoefX0(s, t);
            double ct = DiscretePosterior.meanCoefXt(s, t);
            double lhs = c0 * x0 + ct * xt;
            double rhs = DiscretePosterior.meanFromEps(s, t, xt, eps);
            double sa = Math.sqrt(s.oneStepSignalFactor(t));
            double scale = Math.abs(c0 * x0) + Math.abs(ct * xt) + Math.abs(xt) / sa
                    + s.beta(t) * Math.abs(eps) / (s.sigma(t) * sa);
            worst = Math.max(worst, Math.abs(lhs - rhs) / scale);
        }
        return worst;
    }
}
