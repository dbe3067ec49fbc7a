package dev.distillery.diffusion.denoise;

import dev.distillery.autograd.Tensor;

/**
 * Any network, seen as a function {@code (z, t_model, c) -> output}: how {@link NetworkDenoiser}
 * plugs in models of the nn module (or anything else) without this module depending on them.
 * {@code tModel} is time in the network's own units (see {@link TimeConvention}), shape {@code [B]}.
 */
@FunctionalInterface
public interface ModelFunction {
    /** The raw network output, shaped like {@code z}. */
    Tensor apply(Tensor z, Tensor tModel, Condition c);
}
