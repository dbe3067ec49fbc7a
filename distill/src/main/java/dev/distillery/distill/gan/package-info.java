/**
 * GAN machinery shared by ADD, the denoising diffusion GAN, adversarial-every-step and CTM's
 * optional GAN term (seed 000 "GAN losses"; MATH.md section 6): the losses from logits
 * ({@link dev.distillery.distill.gan.GanLoss}) and the gradient penalties R1 and WGAN-GP
 * ({@link dev.distillery.distill.gan.GradientPenalty}), which differentiate through a gradient
 * (double backward, {@code Autograd.grad(..., createGraph = true)}).
 *
 * <p>A discriminator is any {@code Function<Tensor, Tensor>} from a batch {@code [B, ...]} to
 * logits {@code [B]} or {@code [B, 1]} (raw scores, before any sigmoid). It must treat samples
 * independently (no batch statistics), which the penalties rely on to get per-sample gradients
 * from one backward pass. May import {@code autograd} only.
 */
package dev.distillery.distill.gan;
