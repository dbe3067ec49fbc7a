package dev.distillery.diffusion.identities;

import dev.distillery.diffusion.process.DiscretePosterior;
import dev.distillery.diffusion.sampling.DdimSampler;
import dev.distillery.diffusion.schedule.DiscreteSchedule;

/**
 * I9 (MATH 4): DDIM with eta = 1 from t to s = t - 1 is the DDPM posterior: its mean
 * {@code alpha_s x_hat + sqrt(sigma_s^2 - c^2) eps_hat} (eps_hat consistent with x_t and x_hat) is
 * {@code mu_tilde(x_hat, x_t)} and {@code c^2 = beta_tilde_t}. Input: a discrete schedule of any
 * family, t in [2, T] (edges 2 and T), x_t and x_hat data values (outliers included).
 *
 * <p>As in I4, {@code c^2} carries an absolute error of about {@code (2 t + 8) eps} from the
 * cumulative products; {@code sqrt(sigma_s^2 - c^2)} inherits
 * {@code (2 t + 8) eps sigma_s^2 / (2 sigma_t^2 sqrt(sigma_s^2 - c^2))}. Error: variance difference
 * (absolute) and mean difference scaled by
 * {@code |alpha_s x_hat| + sigma_s |eps_hat| + |c_0 x_hat| + |c_t x_t| + sigma_s^2 |eps_hat| / (sigma_t^2 sqrt(sigma_s^2 - c^2))}.
 * Tolerance from the input: twice the estimate at this t, {@code (4 t + 64) eps} (the old constant
 * took t = T = 1000 for every input).
 */
public final class I9DdimEtaOneIsDdpm implements Identity<I9DdimEtaOneIsDdpm.Input> {
    /**
     * @param schedule the schedule
     * @param t the step (s = t - 1)
     * @param xt the noisy value
     * @param xHat the model's x_0 prediction
     */
    public record Input(ScheduleCase schedule, int t, double xt, double xHat) {
        @Override
        public String toString() {
            return schedule + ", t = " + t + ", x_t = " + xt + ", x_hat = " + xHat;
        }
    }

    @Override public String id() { return "I9"; }
    @Override public String name() { return "DDIM with eta = 1 at s = t - 1 is the DDPM posterior"; }
    @Override public String equation() { return "alpha_s x_hat + sqrt(sigma_s^2 - c^2) eps_hat = mu_tilde, c^2 = beta_tilde (eta = 1)"; }

    @Override
    public Input input(Choices c) {
        ScheduleCase sch = ScheduleCase.choose(c, ScheduleCase.DISCRETE);
        int t = c.integer("t", 2, sch.steps(), 2, sch.steps());
        return new Input(sch, t, c.datum("x_t"), c.datum("x_hat"));
    }

    @Override
    public double error(Input in) {
        DiscreteSchedule s = in.schedule().discrete();
        int t = in.t();
        double at = s.alpha(t);
        double st = s.sigma(t);
        double as = s.alpha(t - 1);
        double ss = s.sigma(t - 1);
        DdimSampler.Step step = DdimSampler.Step.of(at, st, as, ss, 1.0);
        double xt = in.xt();
        double xHat = in.xHat();
        double epsHat = (xt - at * xHat) / st;
        double ddim = step.coefX() * xHat + step.coefEps() * epsHat;
        double c0 = DiscretePosterior.meanCoefX0(s, t);
        double ct = DiscretePosterior.meanCoefXt(s, t);
        double ddpm = c0 * xHat + ct * xt;
        double scale = Math.abs(as * xHat) + ss * Math.abs(epsHat) + Math.abs(c0 * xHat) + Math.abs(ct * xt)
                + ss * ss * Math.abs(epsHat) / (st * st * step.coefEps());
        double mean = I3PosteriorMeanEpsForm.relative(Math.abs(ddim - ddpm), scale);
        return Math.max(mean, Math.abs(step.noiseStd() * step.noiseStd() - DiscretePosterior.variance(s, t)));
    }

    @Override
    public double tolerance(Input in) {
        return (4.0 * in.t() + 64) * EPS;
    }
}
