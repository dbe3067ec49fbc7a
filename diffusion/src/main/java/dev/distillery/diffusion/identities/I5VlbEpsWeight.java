package dev.distillery.diffusion.identities;

import dev.distillery.diffusion.process.DiscretePosterior;
import dev.distillery.diffusion.process.ModelVariance;
import dev.distillery.diffusion.schedule.DiscreteSchedule;

/**
 * I5 (MATH 2): {@code ||mu_tilde - mu_theta||^2 / (2 s_t^2) = beta_t^2 / (2 s_t^2 a_t (1 - abar_t))
 * ||eps - eps_hat||^2}, where mu_tilde is the x0-form mean of the true x_0 and mu_theta the x0-form
 * mean of {@code x_hat = (x_t - sigma_t eps_hat)/alpha_t}. Input: a discrete schedule of any family
 * (T &gt;= 3), t in [2, T] (edges 2 and T; T - 1 for the zero-terminal-SNR families, where alpha_T = 0 leaves
 * x_hat undefined), s_t^2 in {beta_t, beta_tilde_t}, x_0 and eps data values (outliers included),
 * {@code eps_hat = eps + delta}, |delta| in [0.1, 1].
 *
 * <p>The difference {@code mu_tilde - mu_theta = c_0 (x_0 - x_hat)} loses the absolute error of its
 * terms, about {@code 4 eps (|c_0 x_0| + |c_0| X + |c_t x_t|)} plus {@code t eps} relative error of the
 * coefficients, where {@code X = (|x_t| + sigma_t |eps_hat|)/alpha_t} bounds the absolute error of
 * {@code x_hat} over eps: x_hat is itself a cancellation, small when x_0 is small however large
 * x_t and eps_hat are (eps = 1e4 and x_0 = 1 lose four digits there). Relative to
 * {@code |mu_tilde - mu_theta|} that is
 * {@code r = 4 eps (|c_0 x_0| + |c_0| X + |c_t x_t|) / |c_0 (x_0 - x_hat)| + 2 t eps}, doubled by the square.
 * Error: {@code |lhs - rhs| / (rhs (r/eps))}; the conditioning (the cancellation and t) is in the
 * scaling, so the tolerance is the constant {@code 8 eps}.
 */
public final class I5VlbEpsWeight implements Identity<I5VlbEpsWeight.Input> {
    /**
     * @param schedule the schedule
     * @param t the step
     * @param variance the model variance s_t^2
     * @param x0 the data point
     * @param eps the noise
     * @param delta eps_hat - eps
     */
    public record Input(ScheduleCase schedule, int t, ModelVariance variance, double x0, double eps, double delta) {
        @Override
        public String toString() {
            return schedule + ", t = " + t + ", s^2 = " + variance + ", x0 = " + x0 + ", eps = " + eps + ", delta = " + delta;
        }
    }

    @Override public String id() { return "I5"; }
    @Override public String name() { return "L_{t-1} in mean form equals the eps form"; }
    @Override public String equation() { return "||mu_tilde - mu_theta||^2/(2 s^2) = beta_t^2/(2 s^2 a_t (1 - abar_t)) ||eps - eps_hat||^2"; }

    @Override
    public Input input(Choices c) {
        ScheduleCase sch = ScheduleCase.choose(c, ScheduleCase.DISCRETE, 3);
        int last = sch.family().zeroTerminalSnr() ? sch.steps() - 1 : sch.steps();
        int t = c.integer("t", 2, last, 2, last);
        ModelVariance v = c.pick("variance", java.util.List.of(ModelVariance.BETA, ModelVariance.BETA_TILDE));
        double magnitude = c.real("|delta|", 0.1, 1.0);
        double delta = c.coin("delta < 0") ? -magnitude : magnitude;
        return new Input(sch, t, v, c.datum("x0"), c.datum("eps"), delta);
    }

    @Override
    public double error(Input in) {
        DiscreteSchedule s = in.schedule().discrete();
        int t = in.t();
        double var = in.variance().variance(s, t);
        double x0 = in.x0();
        double eps = in.eps();
        double epsHat = eps + in.delta();
        double xt = s.alpha(t) * x0 + s.sigma(t) * eps;
        double xHat = (xt - s.sigma(t) * epsHat) / s.alpha(t);
        double diff = DiscretePosterior.mean(s, t, x0, xt) - DiscretePosterior.mean(s, t, xHat, xt);
        double lhs = diff * diff / (2 * var);
        double weight = s.beta(t) * s.beta(t) / (2 * var * s.oneStepSignalFactor(t) * s.oneMinusAlphaBar(t));
        double rhs = weight * (eps - epsHat) * (eps - epsHat);
        double c0 = DiscretePosterior.meanCoefX0(s, t);
        double xHatSize = Math.max(Math.abs(xHat), (Math.abs(xt) + s.sigma(t) * Math.abs(epsHat)) / s.alpha(t));
        double rel = 4 * (Math.abs(c0 * x0) + Math.abs(c0) * xHatSize + Math.abs(DiscretePosterior.meanCoefXt(s, t) * xt))
                / Math.abs(c0 * (x0 - xHat)) + 2.0 * t;
        return I3PosteriorMeanEpsForm.relative(Math.abs(lhs - rhs), rhs * rel);
    }

    @Override
    public double tolerance(Input in) {
        return 8 * EPS;
    }
}
