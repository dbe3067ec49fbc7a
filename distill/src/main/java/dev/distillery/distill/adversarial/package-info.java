/**
 * The adversarial methods (docs/MATH.md sections 6.12-6.14): adversarial diffusion distillation
 * ({@link dev.distillery.distill.adversarial.AdversarialDiffusionDistillation}, Sauer et al. 2023),
 * adversarial loss on every step ({@link dev.distillery.distill.adversarial.AdversarialEveryStep},
 * Kandinsky 3.1), which share one training step ({@code AdversarialStudent}), and denoising
 * diffusion GANs ({@link dev.distillery.distill.adversarial.DenoisingDiffusionGan}, Xiao et al.
 * 2022). Their losses and discriminators come from {@code distill.gan}.
 */
package dev.distillery.distill.adversarial;
