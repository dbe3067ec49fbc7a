package dev.distillery.diffusion.sampling;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.process.DiscretePosterior;
import dev.distillery.diffusion.process.ModelVariance;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import java.util.List;

/**
 * DDPM ancestral sampling (Ho et al. 2020, Algorithm 2; MATH.md section 4):
 * <pre>
 *   x_{t-1} = (x_t - beta_t / sqrt(1 - abar_t) eps_hat) / sqrt(a_t) + s_t xi,   t = T..1,
 * </pre>
 * {@code s_t^2} = beta_t or beta_tilde_t ({@link ModelVariance}), no noise at the last step (t = 1).
 * The mean is computed in the equivalent x0 form {@code mu_tilde(x_hat, x_t)} (I3), which stays
 * finite under zero terminal SNR ({@code a_T = 0}). The denoiser is called at continuous time
 * {@code t / T}; its schedule should be {@code s.asContinuous()}. Noise of step t is
 * {@code randn(key.fold(t), offset 0)}. Runs under no-grad.
 */
public final class DdpmSampler {
    private DdpmSampler() {}

    /**
     * @param xT the start, {@code N(0, I)} noise, shape {@code [B, ...]}
     * @param trajectory if not null, receives x_T and every x_{t-1}
     * @return x_0
     */
    public static Tensor sample(Denoiser d, DiscreteSchedule s, Tensor xT, Condition c, ModelVariance variance,
                                RngKey key, SamplerProgress progress, List<Tensor> trajectory) {
        try (var ignored = Autograd.noGrad()) {
            int steps = s.steps();
            int batch = xT.dim(0);
            Tensor x = xT;
            Trajectory.record(trajectory, x);
            for (int t = steps; t >= 1; t--) {
                Tensor xHat = d.x0(x, PerSample.time((double) t / steps, batch, x.dtype()), c);
                Tensor mean = xHat.mul(DiscretePosterior.meanCoefX0(s, t)).add(x.mul(DiscretePosterior.meanCoefXt(s, t)));
                if (t > 1) {
                    double std = Math.sqrt(variance.variance(s, t));
                    Tensor xi = Tensor.randn(x.dtype(), key.fold(t).value(), 0L, x.shape().dims());
                    x = mean.add(xi.mul(std));
                } else {
                    x = mean;
                }
                Trajectory.record(trajectory, x);
                SamplerProgress.report(progress, steps - t + 1, steps);
            }
            return x;
        }
    }

    /** The model's variance output v in [-1, 1] for x at step t (learned-range models). */
    @FunctionalInterface
    public interface VarianceOutput {
        Tensor at(Tensor x, int step);
    }

    /**
     * Ancestral sampling on a respaced grid of steps (diffusers' {@code DDPMScheduler} after
     * {@code set_timesteps}; improved-diffusion's respacing): from grid step t to the next grid step
     * p (0 after the last), with x_hat processed by {@code clipping},
     * <pre>
     *   x_p = sqrt(abar_p) beta'_t / (1 - abar_t) x_hat + sqrt(1 - beta'_t) (1 - abar_p) / (1 - abar_t) x_t + s xi,
     * </pre>
     * {@code beta'_t = 1 - abar_t / abar_p} (Ho et al. 2020, eq. 7 on the respaced chain) and s^2 from
     * {@code variance}. As diffusers, noise is added at every step whose diffusers timestep is
     * above 0 (our step above 1), so a grid that ends above step 1 (TRAILING) adds noise at its last
     * step too. Step t's noise is {@code randn(key.fold(t))}; the denoiser is called at time t / T.
     *
     * @param steps    strictly decreasing grid steps in 1..T (e.g. {@link TimestepSpacing#steps(int, int, int)})
     * @param learned  the model's variance output, needed for LEARNED_RANGE only (else may be null)
     */
    public static Tensor sampleStrided(Denoiser d, DiscreteSchedule s, int[] steps, Tensor xT, Condition c,
                                       DdpmVariance variance, VarianceOutput learned, X0Clipping clipping,
                                       RngKey key, SamplerProgress progress, List<Tensor> trajectory) {
        if (variance == DdpmVariance.LEARNED_RANGE && learned == null) {
            throw new IllegalArgumentException("learned_range needs the model's variance output");
        }
        try (var ignored = Autograd.noGrad()) {
            int total = s.steps();
            int batch = xT.dim(0);
            Tensor x = xT;
            Trajectory.record(trajectory, x);
            for (int i = 0; i < steps.length; i++) {
                int t = steps[i];
                int p = i + 1 < steps.length ? steps[i + 1] : 0;
                if (p >= t) {
                    throw new IllegalArgumentException("steps must decrease strictly; " + t + " then " + p);
                }
                double abarT = s.alphaBar(t);
                double abarP = s.alphaBar(p);
                double betaT = DdpmVariance.respacedBeta(abarT, abarP);
                double oneMinusAbarT = s.oneMinusAlphaBar(t);
                Tensor xHat = clipping.apply(d.x0(x, PerSample.time((double) t / total, batch, x.dtype()), c));
                Tensor mean = xHat.mul(Math.sqrt(abarP) * betaT / oneMinusAbarT)
                        .add(x.mul(Math.sqrt(1 - betaT) * s.oneMinusAlphaBar(p) / oneMinusAbarT));
                if (t > 1) {
                    Tensor xi = Tensor.randn(x.dtype(), key.fold(t).value(), 0L, x.shape().dims());
                    Tensor noise = variance == DdpmVariance.LEARNED_RANGE
                            ? xi.mul(DdpmVariance.learned(learned.at(x, t), abarT, abarP).sqrt())
                            : xi.mul(Math.sqrt(variance.variance(abarT, abarP)));
                    x = mean.add(noise);
                } else {
                    x = mean;
                }
                Trajectory.record(trajectory, x);
                SamplerProgress.report(progress, i + 1, steps.length);
            }
            return x;
        }
    }
}
