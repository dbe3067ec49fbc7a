package dev.distillery.diffusion.identities;

import dev.distillery.diffusion.process.DiscretePosterior;
import dev.distillery.diffusion.process.ModelVariance;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import java.util.SplittableRandom;

/**
 * I5 (MATH 2): {@code ||mu_tilde - mu_theta||^2 / (2 s_t^2) = beta_t^2 / (2 s_t^2 a_t (1 - abar_t))
 * ||eps - eps_hat||^2}, where mu_tilde is the x0-form mean of the true x_0 and mu_theta the x0-form
 * mean of {@code x_hat = (x_t - sigma_t eps_hat)/alpha_t}. Inputs: schedule, t in [2, T], s_t^2 in
 * {beta_t, beta_tilde_t}, x_0, eps ~ N(0, 1), {@code eps_hat = eps + delta}, |delta| in [0.1, 1].
 * The difference {@code mu_tilde - mu_theta = c_0 (x_0 - x_hat)} loses the absolute error of its
 * terms, about {@code 4 eps (|c_0 x_0| + |c_0 x_hat|)} plus {@code t eps} relative error of the
 * coefficients; relative to {@code |mu_tilde - mu_theta|} that is
 * {@code r = 4 eps (|c_0 x_0| + |c_0 x_hat|) / |c_0 (x_0 - x_hat)| + 2 t eps}, doubled by the square.
 * Error: {@code |lhs - rhs| / (rhs (r/eps))}; tolerance {@code 8 eps}.
 */
public final class I5VlbEpsWeight implements Identity {
    @Override public String id() { return "I5"; }
    @Override public String name() { return "L_{t-1} in mean form equals the eps form"; }
    @Override public String equation() { return "||mu_tilde - mu_theta||^2/(2 s^2) = beta_t^2/(2 s^2 a_t (1 - abar_t)) ||eps - eps_hat||^2"; }
    @Override public double tolerance() { return 8 * EPS; }

    @Override
    public double worstError(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double worst = 0;
        for (int c = 0; c < 16; c++) {
            DiscreteSchedule s = Inputs.discrete(r);
            int t = 2 + r.nextInt(s.steps() - 1);
            double var = (r.nextBoolean() ? ModelVariance.BETA : ModelVariance.BETA_TILDE).variance(s, t);
            double x0 = Inputs.normal(r);
            double eps = Inputs.normal(r);
            double delta = (r.nextBoolean() ? 1 : -1) * (0.1 + 0.9 * r.nextDouble());
            double epsHat = eps + delta;
            double xt = s.alpha(t) * x0 + s.sigma(t) * eps;
            double xHat = (xt - s.sigma(t) * epsHat) / s.alpha(t);
            double diff = DiscretePosterior.mean(s, t, x0, xt) - DiscretePosterior.mean(s, t, xHat, xt);
            double lhs = diff * diff / (2 * var);
            double weight = s.beta(t) * s.beta(t) / (2 * var * s.oneStepSignalFactor(t) * s.oneMinusAlphaBar(t));
            double rhs = weight * (eps - epsHat) * (eps - epsHat);
            double c0 = DiscretePosterior.meanCoefX0(s, t);
            double rel = 4 * (Math.abs(c0 * x0) + Math.abs(c0 * xHat) + Math.abs(DiscretePosterior.meanCoefXt(s, t) * xt))
                    / Math.abs(c0 * (x0 - xHat)) + 2.0 * t;
            worst = Math.max(worst, Math.abs(lhs - rhs) / (rhs * rel));
        }
        return worst;
    }
}
