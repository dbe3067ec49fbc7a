package dev.distillery.diffusion.sampling;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import java.util.List;

/**
 * Multistep latent-consistency sampling (Luo et al. 2023, Algorithm 3; diffusers
 * {@code LCMScheduler}): at each grid step t the consistency function
 * {@code x_0 = c_skip x_t + c_out x_hat} ({@link LcmBoundary}), then, except after the last step,
 * re-noising to the next grid step p: {@code x_p = sqrt(abar_p) x_0 + sqrt(1 - abar_p) xi}. The grid
 * is LCM's ({@link #steps}). Step i's noise is {@code randn(key.fold(i))}; the denoiser is called at
 * time t / T and x_hat is processed by {@code clipping} first. Runs under no-grad.
 */
public final class LcmSampler {
    private LcmSampler() {}

    /**
     * LCM's timesteps as our steps: with {@code c = T // original_inference_steps}, the distillation
     * grid is diffusers k = c - 1, 2c - 1, ..., (original) c - 1; reversed, and n of them taken at
     * indices {@code floor(linspace(0, original, n, endpoint = False))}
     * ({@code LCMScheduler.set_timesteps}, {@code original_inference_steps}). Our step is k + 1.
     *
     * @throws IllegalArgumentException unless 1 <= n <= originalSteps <= T
     */
    public static int[] steps(int trainSteps, int originalSteps, int n) {
        if (originalSteps < 1 || originalSteps > trainSteps || n < 1 || n > originalSteps) {
            throw new IllegalArgumentException("LCM: need 1 <= n (" + n + ") <= original_inference_steps ("
                    + originalSteps + ") <= T (" + trainSteps + ")");
        }
        int c = trainSteps / originalSteps;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int index = (int) Math.floor(i * ((double) originalSteps / n));   // numpy's linspace: i * step
            int k = (originalSteps - index) * c - 1;           // the reversed grid's entry at index
            out[i] = k + 1;
        }
        return out;
    }

    /**
     * @param steps strictly decreasing grid steps in 1..T
     * @return the last step's x_0
     */
    public static Tensor sample(Denoiser d, DiscreteSchedule s, int[] steps, Tensor xT, Condition c,
                                LcmBoundary boundary, X0Clipping clipping, RngKey key, SamplerProgress progress,
                                List<Tensor> trajectory) {
        try (var ignored = Autograd.noGrad()) {
            int total = s.steps();
            int batch = xT.dim(0);
            Tensor x = xT;
            Trajectory.record(trajectory, x);
            for (int i = 0; i < steps.length; i++) {
                int t = steps[i];
                Tensor xHat = clipping.apply(d.x0(x, PerSample.time((double) t / total, batch, x.dtype()), c));
                double k = t - 1;                                                 // diffusers' timestep
                Tensor denoised = xHat.mul(boundary.cOut(k)).add(x.mul(boundary.cSkip(k)));
                if (i + 1 < steps.length) {
                    int p = steps[i + 1];
                    Tensor xi = Tensor.randn(x.dtype(), key.fold(i).value(), 0L, x.shape().dims());
                    x = denoised.mul(s.alpha(p)).add(xi.mul(s.sigma(p)));
                } else {
                    x = denoised;
                }
                Trajectory.record(trajectory, x);
                SamplerProgress.report(progress, i + 1, steps.length);
            }
            return x;
        }
    }
}
