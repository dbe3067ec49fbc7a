package dev.distillery.diffusion.sampling;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import java.util.List;

/**
 * Heun's second-order method on the probability-flow ODE in the EDM view (Karras et al. 2022,
 * Algorithm 1 with S_churn = 0; MATH.md section 4):
 * <pre>
 *   d_i = (x_i - D(x_i; sigma_i)) / sigma_i
 *   x'  = x_i + (sigma_{i+1} - sigma_i) d_i
 *   x_{i+1} = x_i + (sigma_{i+1} - sigma_i) (d_i + d') / 2,   d' = (x' - D(x'; sigma_{i+1})) / sigma_{i+1}
 * </pre>
 * The correction is skipped on a step to sigma = 0 (there it is an Euler step), as in EDM: n steps
 * ending at 0 cost {@code 2n - 1} denoiser calls (18 Karras levels: 35). Second order (I11).
 * States in EDM units. Runs under no-grad.
 */
public final class HeunSampler {
    private HeunSampler() {}

    /**
     * @param x start at {@code sigmas[0]}, EDM units
     * @param sigmas strictly decreasing noise levels; may end at 0
     * @param trajectory if not null, receives x at every level
     * @return x at the last level
     */
    public static Tensor sample(Denoiser d, Tensor x, double[] sigmas, Condition c, SamplerProgress progress,
                                List<Tensor> trajectory) {
        return sample(new EdmView(d), x, sigmas, c, progress, trajectory);
    }

    /**
     * The same through a given view of the denoiser, e.g. {@link EdmView#diffusersDiscrete} for
     * diffusers' reading of off-grid levels.
     */
    public static Tensor sample(EdmView view, Tensor x, double[] sigmas, Condition c, SamplerProgress progress,
                                List<Tensor> trajectory) {
        Checks.decreasing("sigmas", sigmas);
        try (var ignored = Autograd.noGrad()) {
            int n = sigmas.length - 1;
            Trajectory.record(trajectory, x);
            for (int i = 0; i < n; i++) {
                double h = sigmas[i + 1] - sigmas[i];
                Tensor slope = view.derivative(x, sigmas[i], c);
                Tensor euler = x.add(slope.mul(h));
                if (sigmas[i + 1] == 0.0) {
                    x = euler;
                } else {
                    Tensor slope2 = view.derivative(euler, sigmas[i + 1], c);
                    x = x.add(slope.add(slope2).mul(0.5 * h));
                }
                Trajectory.record(trajectory, x);
                SamplerProgress.report(progress, i + 1, n);
            }
            return x;
        }
    }
}
