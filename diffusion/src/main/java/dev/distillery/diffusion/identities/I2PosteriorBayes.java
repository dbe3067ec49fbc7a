package dev.distillery.diffusion.identities;

import dev.distillery.diffusion.process.DiscretePosterior;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import java.util.Arrays;

/**
 * I2 (MATH 2, Bayes): {@code log q(x_t|x_{t-1}) + log q(x_{t-1}|x_0) - log q(x_t|x_0) - log N(x_{t-1};
 * mu_tilde, beta_tilde)} does not depend on {@code x_{t-1}}. Input: a discrete schedule of any family,
 * t in [2, T] (edges 2 and T), {@code x_0 = 2 d_0} and {@code x_t = alpha_t x_0 + sigma_t d_1} from
 * data values d (outliers included), and five points {@code x_{t-1} = mu_tilde + k_j sqrt(beta_tilde)},
 * k_j in [-3, 3]. Error: the spread of the expression over the points, scaled by
 * {@code S = sum over the four terms of (y - m)^2/(2v) + |y| |m| / v + 1}, the magnitude of what
 * rounding can perturb (each quadratic {@code (y - m)^2/(2v)} computed from y, m with relative
 * errors of a few eps has absolute error at most about {@code 4 eps (|y| + |m|)|y - m|/v}, bounded by
 * {@code 4 eps} times the two parts of S; the mean and variance coefficients carry errors of the
 * same order). Tolerance {@code 64 eps}: four terms, two evaluations, a few roundings each; the
 * scaling already carries the input's conditioning, so the tolerance is one constant.
 */
public final class I2PosteriorBayes implements Identity<I2PosteriorBayes.Input> {
    /**
     * @param schedule the schedule
     * @param t the step
     * @param x0 the data point
     * @param noise the noise of x_t
     * @param k the points' offsets in posterior standard deviations
     */
    public record Input(ScheduleCase schedule, int t, double x0, double noise, double[] k) {
        @Override
        public String toString() {
            return schedule + ", t = " + t + ", x0 = " + x0 + ", noise = " + noise + ", k = " + Arrays.toString(k);
        }
    }

    @Override public String id() { return "I2"; }
    @Override public String name() { return "posterior by Bayes' rule"; }
    @Override public String equation() { return "q(x_t|x_{t-1}) q(x_{t-1}|x_0) / q(x_t|x_0) = N(x_{t-1}; mu_tilde, beta_tilde)"; }

    @Override
    public Input input(Choices c) {
        ScheduleCase sch = ScheduleCase.choose(c, ScheduleCase.DISCRETE);
        int t = c.integer("t", 2, sch.steps(), 2, sch.steps());
        double[] k = new double[5];
        for (int j = 0; j < k.length; j++) {
            k[j] = c.real("k", -3, 3);
        }
        return new Input(sch, t, 2 * c.datum("x0"), c.datum("noise"), k);
    }

    @Override
    public double error(Input in) {
        DiscreteSchedule s = in.schedule().discrete();
        int t = in.t();
        double x0 = in.x0();
        double xt = s.alpha(t) * x0 + s.sigma(t) * in.noise();
        double mu = DiscretePosterior.mean(s, t, x0, xt);
        double bt = DiscretePosterior.variance(s, t);
        double first = Double.NaN;
        double scale = 0;
        double spread = 0;
        for (int j = 0; j < in.k().length; j++) {
            double x = mu + in.k()[j] * Math.sqrt(bt);
            double a1 = Math.sqrt(s.oneStepSignalFactor(t)) * x;
            double a2 = s.alpha(t - 1) * x0;
            double a3 = s.alpha(t) * x0;
            double f = logNormal(xt, a1, s.beta(t)) + logNormal(x, a2, s.oneMinusAlphaBar(t - 1))
                    - logNormal(xt, a3, s.oneMinusAlphaBar(t)) - logNormal(x, mu, bt);
            scale = Math.max(scale, part(xt, a1, s.beta(t)) + part(x, a2, s.oneMinusAlphaBar(t - 1))
                    + part(xt, a3, s.oneMinusAlphaBar(t)) + part(x, mu, bt));
            if (j == 0) {
                first = f;
            } else {
                spread = Math.max(spread, Math.abs(f - first));
            }
        }
        return Double.isNaN(first) ? Double.NaN : spread / scale;
    }

    @Override
    public double tolerance(Input in) {
        return 64 * EPS;
    }

    private static double part(double y, double m, double v) {
        double d = y - m;
        return d * d / (2 * v) + Math.abs(y) * Math.abs(m) / v + 1.0;
    }

    /** The Gaussian log-density {@code -(x - m)^2/(2v) - log(2 pi v)/2}. */
    private static double logNormal(double x, double m, double v) {
        double d = x - m;
        return -d * d / (2 * v) - 0.5 * Math.log(2 * Math.PI * v);
    }
}
