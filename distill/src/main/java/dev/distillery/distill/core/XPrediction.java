package dev.distillery.distill.core;

import dev.distillery.autograd.Tensor;

/**
 * An x (x0) prediction {@code x_hat(z_t, t)} at one time for the whole batch: the smallest view
 * of a teacher the trajectory formulas need. A diffusion {@code Denoiser} adapts to it with a
 * lambda, {@code (z, t) -> denoiser.x0(z, Tensor.full(F64, t, B), cond)}.
 */
@FunctionalInterface
public interface XPrediction {
    /** The predicted clean sample for noisy {@code z} at time {@code t}. */
    Tensor x0(Tensor z, double t);
}
