package dev.distillery.diffusion.identities;

import dev.distillery.diffusion.process.DiscretePosterior;
import dev.distillery.diffusion.sampling.DdimSampler;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import java.util.SplittableRandom;

/**
 * I9 (MATH 4): DDIM with eta = 1 from t to s = t - 1 is the DDPM posterior: its mean
 * {@code alpha_s x_hat + sqrt(sigma_s^2 - c^2) eps_hat} (eps_hat consistent with x_t and x_hat) is
 * {@code mu_tilde(x_hat, x_t)} and {@code c^2 = beta_tilde_t}. As in I4, {@code c^2} carries an absolute
 * error of about {@code (2 t + 8) eps} from the cumulative products; {@code sqrt(sigma_s^2 - c^2)}
 * inherits {@code (2 t + 8) eps sigma_s^2 / (2 sigma_t^2 sqrt(sigma_s^2 - c^2))}. Error: variance
 * difference (absolute) and mean difference scaled by
 * {@code |alpha_s x_hat| + sigma_s |eps_hat| + |c_0 x_hat| + |c_t x_t| + sigma_s^2 |eps_hat| / (sigma_t^2 sqrt(sigma_s^2 - c^2))};
 * tolerance {@code (4 T + 64) eps}.
 */
public final class I9DdimEtaOneIsDdpm implements Identity {
    @Override public String id() { return "I9"; }
    @Override public String name() { return "DDIM with eta = 1 at s = t - 1 is the DDPM posterior"; }
    @Override public String equation() { return "alpha_s x_hat + sqrt(sigma_s^2 - c^2) eps_hat = mu_tilde, c^2 = beta_tilde (eta = 1)"; }
    @Override public double tolerance() { return (4.0 * Inputs.MAX_STEPS + 64) * EPS; }

    @Override
    public double worstError(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double worst = 0;
        for (int c = 0; c < 16; c++) {
            DiscreteSchedule s = Inputs.discrete(r);
            int t = 2 + r.nextInt(s.steps() - 1);
            double at = s.alpha(t);
            double st = s.sigma(t);
            double as = s.alpha(t - 1);
            double ss = s.sigma(t - 1);
            DdimSampler.Step step = DdimSampler.Step.of(at, st, as, ss, 1.0);
            double xt = Inputs.normal(r);
            double xHat = Inputs.normal(r);
            double epsHat = (xt - at * xHat) / st;
            double ddim = step.coefX() * xHat + step.coefEps() * epsHat;
            double c0 = DiscretePosterior.meanCoefX0(s, t);
            double ct = DiscretePosterior.meanCoefXt(s, t);
            double ddpm = c0 * xHat + ct * xt;
            double scale = Math.abs(as * xHat) + ss * Math.abs(epsHat) + Math.abs(c0 * xHat) + Math.abs(ct * xt)
                    + ss * ss * Math.abs(epsHat) / (st * st * step.coefEps());
            worst = Math.max(worst, Math.abs(ddim - ddpm) / scale);
            worst = Math.max(worst, Math.abs(step.noiseStd() * step.noiseStd() - DiscretePosterior.variance(s, t)));
        }
        return worst;
    }
}
