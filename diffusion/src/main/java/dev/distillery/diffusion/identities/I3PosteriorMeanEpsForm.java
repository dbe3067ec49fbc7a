package dev.distillery.diffusion.identities;

import dev.distillery.diffusion.process.DiscretePosterior;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import java.util.Objects;

/**
 * I3 (MATH 2): with {@code x_0 = (x_t - sigma_t eps)/alpha_t}, the posterior mean
 * {@code c_0 x_0 + c_t x_t} equals {@code (x_t - beta_t / sqrt(1 - abar_t) eps) / sqrt(a_t)}
 * ({@link DiscretePosterior#meanFromEps}). Input: a discrete schedule of any family, t in [1, T]
 * (edges 1 and T; for the zero-terminal-SNR families t &lt;= T - 1, since alpha_T = 0 leaves x_0
 * undefined), x_t and eps data values (outliers included). Error scaled by
 * {@code S = |c_0 x_0| + |c_t x_t| + |x_t| / sqrt(a_t) + beta_t |eps| / (sigma_t sqrt(a_t))}.
 *
 * <p>Tolerance from the input: both sides are short sums of products of values with a few eps of
 * relative error each, but the coefficients come from the cumulative product {@code abar_t}, which
 * carries about {@code t eps} relative error after t factors, and a difference of two such products
 * doubles it: {@code (2 t + 32) eps} at this input's t. (The catalogue's old constant,
 * {@code (2 T_max + 32) eps} = 2032 eps, was 60 times too loose at t = 1, where a wrong coefficient
 * shows first.)
 */
public final class I3PosteriorMeanEpsForm implements Identity<I3PosteriorMeanEpsForm.Input> {
    /** The eps form of the posterior mean under test. */
    @FunctionalInterface
    public interface MeanFromEps {
        /** The posterior mean at step t from x_t and the noise eps. */
        double mean(DiscreteSchedule s, int t, double xt, double eps);
    }

    /**
     * @param schedule the schedule
     * @param t the step
     * @param xt the noisy value
     * @param eps the noise
     */
    public record Input(ScheduleCase schedule, int t, double xt, double eps) {
        @Override
        public String toString() {
            return schedule + ", t = " + t + ", x_t = " + xt + ", eps = " + eps;
        }
    }

    private final MeanFromEps formula;

    /** The identity for {@link DiscretePosterior#meanFromEps}. */
    public I3PosteriorMeanEpsForm() {
        this(DiscretePosterior::meanFromEps);
    }

    /** The identity for another eps form: tests pass a wrong one and watch the property fail. */
    public I3PosteriorMeanEpsForm(MeanFromEps formula) {
        this.formula = Objects.requireNonNull(formula, "formula");
    }

    @Override public String id() { return "I3"; }
    @Override public String name() { return "posterior mean in eps form"; }
    @Override public String equation() { return "mu_tilde = (x_t - beta_t / sqrt(1 - abar_t) eps) / sqrt(a_t)"; }

    @Override
    public Input input(Choices c) {
        ScheduleCase sch = ScheduleCase.choose(c, ScheduleCase.DISCRETE);
        int last = sch.family().zeroTerminalSnr() ? sch.steps() - 1 : sch.steps();
        int t = c.integer("t", 1, last, 1, last);
        return new Input(sch, t, c.datum("x_t"), c.datum("eps"));
    }

    @Override
    public double error(Input in) {
        DiscreteSchedule s = in.schedule().discrete();
        int t = in.t();
        double xt = in.xt();
        double eps = in.eps();
        double x0 = (xt - s.sigma(t) * eps) / s.alpha(t);
        double c0 = DiscretePosterior.meanCoefX0(s, t);
        double ct = DiscretePosterior.meanCoefXt(s, t);
        double lhs = c0 * x0 + ct * xt;
        double rhs = formula.mean(s, t, xt, eps);
        double sa = Math.sqrt(s.oneStepSignalFactor(t));
        double scale = Math.abs(c0 * x0) + Math.abs(ct * xt) + Math.abs(xt) / sa
                + s.beta(t) * Math.abs(eps) / (s.sigma(t) * sa);
        return relative(Math.abs(lhs - rhs), scale);
    }

    @Override
    public double tolerance(Input in) {
        return (2.0 * in.t() + 32) * EPS;
    }

    /** {@code error / scale}, 0 when the error is 0 (also for a zero scale), NaN stays NaN. */
    static double relative(double error, double scale) {
        if (error == 0.0) {
            return 0.0;
        }
        return error / scale;
    }
}
