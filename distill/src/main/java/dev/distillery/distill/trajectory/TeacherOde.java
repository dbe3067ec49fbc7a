package dev.distillery.distill.trajectory;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.sampling.DdimSampler;
import dev.distillery.diffusion.sampling.EdmView;
import dev.distillery.diffusion.sampling.EulerSampler;
import dev.distillery.diffusion.sampling.HeunSampler;
import dev.distillery.diffusion.schedule.EdmConfig;

/**
 * The teacher's probability-flow ODE from VP noise {@code z_1 ~ N(0, I)} to data: the solvers
 * that produce the (noise, endpoint) couplings of knowledge distillation and reflow.
 *
 * <ul>
 *   <li>{@link Solver#DDIM}: deterministic DDIM on the uniform grid {@code t = i/n} from t = 1
 *       (exact start: z_1 is the noise itself when alpha(1) = 0, as for the cosine schedule);</li>
 *   <li>{@link Solver#EULER}, {@link Solver#HEUN}: EDM's samplers on n Karras levels from
 *       sigma_max to sigma_min, then 0, started at {@code x = sigma_max z_1} (EDM's convention: the
 *       VP noise read as the EDM state at sigma_max; the data's own spread is negligible there).
 *       Heun costs 2n - 1 calls.</li>
 * </ul>
 */
final class TeacherOde {
    private TeacherOde() {
    }

    /** Which ODE solver produces the endpoints. */
    enum Solver { DDIM, EULER, HEUN }

    /** The endpoint x_0 of the teacher's ODE from VP noise, with {@code steps} solver steps. */
    static Tensor endpoint(Denoiser teacher, Tensor noise, Solver solver, int steps, Condition c) {
        try (var ignored = Autograd.noGrad()) {
            return switch (solver) {
                case DDIM -> DdimSampler.sample(teacher, noise, Grids.uniform(steps), 0.0, c, null, null, null);
                case EULER -> EulerSampler.sample(teacher, noise.mul(EdmConfig.DEFAULTS.sigmaMax()),
                        EdmView.karrasWithZero(steps, EdmConfig.DEFAULTS), c, null, null);
                case HEUN -> HeunSampler.sample(teacher, noise.mul(EdmConfig.DEFAULTS.sigmaMax()),
                        EdmView.karrasWithZero(steps, EdmConfig.DEFAULTS), c, null, null);
            };
        }
    }

    /** Network evaluations of one endpoint. */
    static int nfe(Solver solver, int steps) {
        return solver == Solver.HEUN ? 2 * steps - 1 : steps;
    }
}
