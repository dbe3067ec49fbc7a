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
}
