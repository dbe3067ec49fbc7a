package dev.distillery.distill;

import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;

/**
 * What a distillation produces: a sampler that turns Gaussian noise into data in a few network
 * evaluations. Every method's result is compared through this interface.
 */
public interface Generator {

    /**
     * Samples from {@code noise ~ N(0, I)} of shape {@code [B, ...]} using {@code steps} student
     * steps; {@code key} feeds any fresh noise a multistep sampler injects.
     */
    Tensor sample(Tensor noise, int steps, RngKey key);

    /**
     * Whether this generator samples with {@code steps} steps at all (a denoising diffusion GAN
     * trained for T steps samples with exactly T).
     */
    default boolean supports(int steps) {
        return steps >= 1;
    }

    /** Network evaluations used for {@code steps} steps (2 per step for a CFG student, say). */
    default int nfe(int steps) {
        return steps;
    }
}
