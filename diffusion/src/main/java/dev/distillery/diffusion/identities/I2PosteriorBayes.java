package dev.distillery.diffusion.identities;

import dev.distillery.diffusion.process.DiscretePosterior;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import java.util.SplittableRandom;

/**
 * I2 (MATH 2, Bayes): {@code log q(x_t|x_{t-1}) + log q(x_{t-1}|x_0) - log q(x_t|x_0) - log N(x_{t-1};
 * mu_tilde, beta_tilde)} does not depend on {@code x_{t-1}}. Inputs: a schedule, t in [2, T],
 * {@code x_0 ~ N(0, 4)}, {@code x_t ~ q(x_t|x_0)}, and five points {@code x_{t-1} = mu_tilde + k
 * sqrt(beta_tilde)}, k ~ U(-3, 3). Error: the spread of the expression over the points, scaled by
 * {@code S = sum over the four terms of |(y - m)^2/(2v)| + |y| |m| / v}, the magnitude of what
 * rounding can perturb (each quadratic {@code (y - m)^2/(2v)} computed from y, m with relative
 * errors of a few eps has absolute error at most about {@code 4 eps (|y| + |m|)|y - m|/v}, bounded by
 * {@code 4 eps} times the two parts of S; the mean and variance coefficients carry errors of the
 * same order). Tolerance {@code 64 eps}: four terms, two evaluations, a few roundings each.
 */
public final class I2PosteriorBayes implements Identity {
    @Override public String id() { return "I2"; }
    @Override public String name() { return "posterior by Bayes' rule"; }
    @Override public String equation() { return "q(x_t|x_{t-1}) q(x_{t-1}|x_0) / q(x_t|x_0) = N(x_{t-1}; mu_tilde, beta_tilde)"; }
    @Override public double tolerance() { return 64 * EPS; }

    @Override
    public double worstError(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double worst = 0;
        for (int c = 0; c < 8; c++) {
            DiscreteSchedule s = Inputs.discrete(r);
            int t = 2 + r.nextInt(s.steps() - 1);
            double x0 = 2 * Inputs.normal(r);
            double xt = s.alpha(t) * x0 + s.sigma(t) * Inputs.normal(r);
            double mu = DiscretePosterior.mean(s, t, x0, xt);
            double bt = DiscretePosterior.variance(s, t);
            double first = Double.NaN;
            double scale = 0;
            double spread = 0;
            for (int j = 0; j < 5; j++) {
                double x = mu + (6 * r.nextDouble() - 3) * Math.sqrt(bt);
                double a1 = Math.sqrt(s.oneStepSignalFactor(t)) * x;
                double a2 = s.alpha(t - 1) * x0;
                double a3 = s.alpha(t) * x0;
                double f = Inputs.logNormal(xt, a1, s.beta(t)) + Inputs.logNormal(x, a2, s.oneMinusAlphaBar(t - 1))
                        - Inputs.logNormal(xt, a3, s.oneMinusAlphaBar(t)) - Inputs.logNormal(x, mu, bt);
                scale = Math.max(scale, part(xt, a1, s.beta(t)) + part(x, a2, s.oneMinusAlphaBar(t - 1))
                        + part(xt, a3, s.oneMinusAlphaBar(t)) + part(x, mu, bt));
                if (j == 0) {
                    first = f;
                } else {
                    spread = Math.max(spread, Math.abs(f - first));
                }
            }
            worst = Math.max(worst, spread / scale);
        }
        return worst;
    }

    private static double part(double y, double m, double v) {
        double d = y - m;
        return d * d / (2 * v) + Math.abs(y) * Math.abs(m) / v + 1.0;
    }
}
