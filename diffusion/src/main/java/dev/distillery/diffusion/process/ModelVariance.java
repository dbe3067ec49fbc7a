package dev.distillery.diffusion.process;

import dev.distillery.diffusion.schedule.DiscreteSchedule;

/**
 * The fixed reverse-process variance {@code s_t^2} of {@code p(x_{t-1} | x_t) = N(mu_theta, s_t^2 I)}
 * (Ho et al. 2020, section 3.2; MATH.md sections 2 and 4): the upper bound {@code beta_t} or the
 * lower bound {@code beta_tilde_t}, both optimal in an extreme case of the data.
 */
public enum ModelVariance {
    /** {@code s_t^2 = beta_t} (optimal for x_0 ~ N(0, I)). */
    BETA,
    /** {@code s_t^2 = beta_tilde_t} (optimal for a single point x_0); 0 at t = 1. */
    BETA_TILDE;

    /** {@code s_t^2}. */
    public double variance(DiscreteSchedule s, int t) {
        return this == BETA ? s.beta(t) : DiscretePosterior.variance(s, t);
    }

    /** {@code log s_t^2}, with BETA_TILDE clipped at t = 1 ({@link DiscretePosterior#logVarianceClipped}). */
    public double logVarianceClipped(DiscreteSchedule s, int t) {
        return this == BETA ? Math.log(s.beta(t)) : DiscretePosterior.logVarianceClipped(s, t);
    }
}
