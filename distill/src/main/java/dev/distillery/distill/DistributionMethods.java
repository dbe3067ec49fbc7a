package dev.distillery.distill;

import java.util.List;

/**
 * The methods that match distributions rather than trajectories (MATH.md section 6): SDS, the
 * unbiased score estimator, DMD and DMD2, ADD, denoising diffusion GANs, adversarial loss on
 * every step.
 */
final class DistributionMethods {
    private DistributionMethods() {
    }

    static List<DistillMethod> all() {
        return List.of();
    }
}
