package dev.distillery.diffusion.sampling;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import java.util.List;

/**
 * Euler's method on the probability-flow ODE in the EDM view (Karras et al. 2022, Algorithm 1
 * without the correction; MATH.md section 4):
 * <pre>
 *   x_{i+1} = x_i + (sigma_{i+1} - sigma_i) (x_i - D(x_i; sigma_i)) / sigma_i
 * </pre>
 * First order (I11). In the VP view this step equals deterministic DDIM between the same noise
 * levels. States are in EDM units ({@code x = z/alpha}); start with {@code x ~ N(0, sigma_0^2 I)}.
 * One denoiser call per step. Runs under no-grad.
 */
public final class EulerSampler {
    private EulerSampler() {}

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
                Tensor slope = view.derivative(x, sigmas[i], c);
                x = x.add(slope.mul(sigmas[i + 1] - sigmas[i]));
                Trajectory.record(trajectory, x);
                SamplerProgress.report(progress, i + 1, n);
            }
            return x;
        }
    }
}
