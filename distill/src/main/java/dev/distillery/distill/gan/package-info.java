/**
 * GAN machinery shared by ADD, the denoising diffusion GAN, adversarial-every-step, CTM's and
 * DMD2's optional GAN terms (MATH.md section 6.11): the losses from logits
 * ({@link dev.distillery.distill.gan.GanLoss}), the gradient penalties R1 and WGAN-GP
 * ({@link dev.distillery.distill.gan.GradientPenalty}), which differentiate through a gradient
 * (double backward, {@code Autograd.grad(..., createGraph = true)}), discriminators made of
 * trainable heads over a frozen feature network ({@link dev.distillery.distill.gan.Discriminator},
 * {@link dev.distillery.distill.gan.FeatureNetworks}), a fully trainable MLP discriminator with
 * Fourier features of its input for vector data ({@link dev.distillery.distill.gan.MlpDiscriminator})
 * and their training loop with its own
 * optimizer, update ratio and lazy R1 ({@link dev.distillery.distill.gan.DiscriminatorTrainer}).
 *
 * <p>For the losses and penalties a discriminator is any {@code Function<Tensor, Tensor>} from a
 * batch {@code [B, ...]} to logits {@code [B]} or {@code [B, 1]} (raw scores, before any sigmoid).
 * It must treat samples independently (no batch statistics), which the penalties rely on to get
 * per-sample gradients from one backward pass. May import {@code autograd} and {@code nn} only,
 * so that every family of methods can use it without depending on another.
 */
package dev.distillery.distill.gan;
