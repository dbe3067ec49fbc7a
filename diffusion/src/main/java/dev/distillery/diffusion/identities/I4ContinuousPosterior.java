package dev.distillery.diffusion.identities;

import dev.distillery.diffusion.process.ContinuousPosterior;
import dev.distillery.diffusion.process.DiscretePosterior;
import dev.distillery.diffusion.schedule.DiscreteSchedule;

/**
 * I4 (MATH 2): the general posterior {@code q(z_s | z_t, x)} at s = t - 1 equals the discrete one:
 * coefficients of z_t and x and the variance. Input: a discrete schedule of any family and t in
 * [2, T] (edges 2 and T). The continuous form computes
 * {@code sigma_{t|s}^2 = sigma_t^2 - (alpha_t/alpha_s)^2 sigma_s^2}, whose absolute error is that of
 * {@code abar_t / abar_{t-1}} (about {@code 2 t eps}, from the cumulative products) plus a few eps,
 * while the discrete form uses beta_t directly. So the variance and the z_t coefficient differ by at
 * most about {@code (2 t + 8) eps} absolutely (they multiply that error by factors at most 1), and
 * the x coefficient by that over {@code sigma_t^2}. Error: {@code max(|d var|, |d c_z|, sigma_t^2 |d c_x|)}.
 *
 * <p>Tolerance from the input: twice the estimate at this t, {@code (4 t + 16) eps} (the old
 * constant used T = 1000 for every t).
 */
public final class I4ContinuousPosterior implements Identity<I4ContinuousPosterior.Input> {
    /**
     * @param schedule the schedule
     * @param t the step (s = t - 1)
     */
    public record Input(ScheduleCase schedule, int t) {
        @Override
        public String toString() {
            return schedule + ", t = " + t;
        }
    }

    @Override public String id() { return "I4"; }
    @Override public String name() { return "continuous posterior at s = t - 1 is the discrete one"; }
    @Override public String equation() { return "alpha_{t|s} sigma_s^2/sigma_t^2, alpha_s sigma_{t|s}^2/sigma_t^2, sigma_{t|s}^2 sigma_s^2/sigma_t^2 at s = t-1"; }

    @Override
    public Input input(Choices c) {
        ScheduleCase sch = ScheduleCase.choose(c, ScheduleCase.DISCRETE);
        return new Input(sch, c.integer("t", 2, sch.steps(), 2, sch.steps()));
    }

    @Override
    public double error(Input in) {
        DiscreteSchedule s = in.schedule().discrete();
        int t = in.t();
        ContinuousPosterior p = ContinuousPosterior.of(s.alpha(t - 1), s.sigma(t - 1), s.alpha(t), s.sigma(t));
        double st2 = s.oneMinusAlphaBar(t);
        double worst = Math.abs(p.variance() - DiscretePosterior.variance(s, t));
        worst = Math.max(worst, Math.abs(p.coefZ() - DiscretePosterior.meanCoefXt(s, t)));
        return Math.max(worst, st2 * Math.abs(p.coefX() - DiscretePosterior.meanCoefX0(s, t)));
    }

    @Override
    public double tolerance(Input in) {
        return (4.0 * in.t() + 16) * EPS;
    }
}
