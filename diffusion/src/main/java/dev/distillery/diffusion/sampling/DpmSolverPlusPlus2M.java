package dev.distillery.diffusion.sampling;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import java.util.List;

/**
 * DPM-Solver++(2M) (Lu et al. 2022, "DPM-Solver++", Algorithm 2; MATH.md section 4): a multistep
 * second-order exponential integrator of the probability-flow ODE in data prediction, in the
 * half-log-SNR {@code l = -log sigma_edm} (EDM units, where the VP formula's {@code alpha_s/alpha_t}
 * factors cancel). With {@code h_i = l_{i+1} - l_i}, {@code D_i = D(x_i; sigma_i)}:
 * <pre>
 *   first step, or a step to sigma = 0:  x_{i+1} = (sigma_{i+1}/sigma_i) x_i - expm1(-h_i) D_i
 *   otherwise, r = h_{i-1}/h_i:          x_{i+1} = (sigma_{i+1}/sigma_i) x_i - expm1(-h_i) ((1 + 1/(2r)) D_i - 1/(2r) D_{i-1})
 * </pre>
 * (as k-diffusion's {@code sample_dpmpp_2m}). One denoiser call per step. States in EDM units.
 * Runs under no-grad.
 */
public final class DpmSolverPlusPlus2M {
    private DpmSolverPlusPlus2M() {}

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
            Tensor previous = null;
            double previousH = 0.0;
            for (int i = 0; i < n; i++) {
                Tensor denoised = view.denoise(x, sigmas[i], c);
                if (sigmas[i + 1] == 0.0) {
                    x = denoised;
                } else {
                    double h = Math.log(sigmas[i]) - Math.log(sigmas[i + 1]);
                    double ratio = sigmas[i + 1] / sigmas[i];
                    double phi = -Math.expm1(-h);
                    Tensor target = denoised;
                    if (previous != null) {
                        double r = previousH / h;
                        target = denoised.mul(1.0 + 1.0 / (2.0 * r)).sub(previous.mul(1.0 / (2.0 * r)));
                    }
                    x = x.mul(ratio).add(target.mul(phi));
                    previousH = h;
                }
                previous = denoised;
                Trajectory.record(trajectory, x);
                SamplerProgress.report(progress, i + 1, n);
            }
            return x;
        }
    }
}
