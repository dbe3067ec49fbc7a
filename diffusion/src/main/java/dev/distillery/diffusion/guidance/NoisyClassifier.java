package dev.distillery.diffusion.guidance;

import dev.distillery.autograd.Tensor;

/**
 * A classifier of noisy latents, {@code p_phi(y | z_t)}, as logits: the guidance model of
 * classifier guidance (Dhariwal &amp; Nichol 2021). Must be differentiable in z.
 */
@FunctionalInterface
public interface NoisyClassifier {
    /** Logits {@code [B, classes]} for latents z {@code [B, ...]} at continuous times t {@code [B]}. */
    Tensor logits(Tensor z, Tensor t);
}
