package dev.distillery.diffusion.sampling;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import java.util.List;

/**
 * DDIM (Song et al. 2021, eq. 12; MATH.md section 4) from t to s &lt; t:
 * <pre>
 *   z_s = alpha_s x_hat + sqrt(sigma_s^2 - c^2) eps_hat + c xi,
 *   c^2 = eta^2 sigma_{t|s}^2 sigma_s^2 / sigma_t^2     (VP: eta^2 (sigma_s^2/sigma_t^2)(1 - alpha_t^2/alpha_s^2))
 * </pre>
 * with {@code eps_hat = (z_t - alpha_t x_hat)/sigma_t}, so eta = 0 gives
 * {@code z_s = alpha_s x_hat + (sigma_s/sigma_t)(z_t - alpha_t x_hat)} (deterministic; I10) and
 * eta = 1 at s = t - 1 the DDPM posterior (I9). Times are continuous in [0, 1] (for a discrete
 * schedule use {@link TimestepSpacing#times}); the last may be 0, where z_0 = x_hat. Noise of step i is
 * {@code randn(key.fold(i))}. Runs under no-grad.
 */
public final class DdimSampler {
    private DdimSampler() {}

    /**
     * One step's coefficients: {@code z_s = coefX x_hat + coefEps eps_hat + noiseStd xi}.
     */
    public record Step(double coefX, double coefEps, double noiseStd) {
        /** The coefficients for a step from (alpha_t, sigma_t) to (alpha_s, sigma_s). */
        public static Step of(double alphaT, double sigmaT, double alphaS, double sigmaS, double eta) {
            double aTs = alphaT / alphaS;
            double varTs = sigmaT * sigmaT - aTs * aTs * sigmaS * sigmaS;
            double c2 = eta == 0.0 || sigmaS == 0.0 ? 0.0 : eta * eta * varTs * sigmaS * sigmaS / (sigmaT * sigmaT);
            double det = Math.sqrt(Math.max(0.0, sigmaS * sigmaS - c2));
            return new Step(alphaS, det, Math.sqrt(c2));
        }
    }

    /**
     * @param zT start latent at {@code times[0]}
     * @param times strictly decreasing continuous times, {@code times[0] > 0}
     * @param eta 0 deterministic, 1 ancestral
     * @param key noise key (unused when eta = 0; may be null then)
     * @param trajectory if not null, receives z at every time
     * @return z at the last time (x_hat when it is 0)
     */
    public static Tensor sample(Denoiser d, Tensor zT, double[] times, double eta, Condition c, RngKey key,
                                SamplerProgress progress, List<Tensor> trajectory) {
        return sample(d, zT, DdimTimes.consecutive(times), eta, X0Clipping.none(), true, c, key, progress, trajectory);
    }

    /**
     * DDIM over explicit (from, to) pairs ({@link DdimTimes}: ours, or diffusers' {@code t - T // n})
     * with x_hat processed by {@code clipping} (diffusers' {@code clip_sample} / {@code thresholding}).
     * With {@code useClippedModelOutput} (diffusers' {@code use_clipped_model_output = True}, and
     * what the plain overload does) eps_hat is recomputed from the processed x_hat,
     * {@code (z_t - alpha_t x_hat) / sigma_t}; without it eps_hat is the model's own, from the
     * unprocessed x_hat. Step i's noise is {@code randn(key.fold(i))}.
     */
    public static Tensor sample(Denoiser d, Tensor zT, DdimTimes times, double eta, X0Clipping clipping,
                                boolean useClippedModelOutput, Condition c, RngKey key,
                                SamplerProgress progress, List<Tensor> trajectory) {
        if (eta != 0.0 && key == null) {
            throw new IllegalArgumentException("eta = " + eta + " needs an RNG key");
        }
        NoiseSchedule sch = d.schedule();
        try (var ignored = Autograd.noGrad()) {
            int n = times.size();
            int batch = zT.dim(0);
            Tensor z = zT;
            Trajectory.record(trajectory, z);
            for (int i = 0; i < n; i++) {
                double t = times.from()[i];
                double s = times.to()[i];
                double alphaT = sch.alpha(t);
                double sigmaT = sch.sigma(t);
                Tensor raw = d.x0(z, PerSample.time(t, batch, z.dtype()), c);
                Tensor xHat = clipping.apply(raw);
                Step st = Step.of(alphaT, sigmaT, sch.alpha(s), sch.sigma(s), eta);
                Tensor next = xHat.mul(st.coefX());
                if (st.coefEps() != 0.0) {
                    Tensor epsHat = z.sub((useClippedModelOutput ? xHat : raw).mul(alphaT)).div(sigmaT);
                    next = next.add(epsHat.mul(st.coefEps()));
                }
                if (st.noiseStd() != 0.0) {
                    Tensor xi = Tensor.randn(z.dtype(), key.fold(i).value(), 0L, z.shape().dims());
                    next = next.add(xi.mul(st.noiseStd()));
                }
                z = next;
                Trajectory.record(trajectory, z);
                SamplerProgress.report(progress, i + 1, n);
            }
            return z;
        }
    }
}
