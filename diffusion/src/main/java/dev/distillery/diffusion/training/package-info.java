/**
 * Teacher training (Ho et al. 2020, Algorithm 1; MATH.md sections 1-3): {@link
 * dev.distillery.diffusion.training.DiffusionTrainer} trains any {@code ConditionalModel} as a
 * denoiser under a {@link dev.distillery.diffusion.training.TrainingConfig}; {@link
 * dev.distillery.diffusion.training.Recipes} holds the project's teacher recipes; the {@code *Run}
 * classes are runnable mains for the minutes-long teacher runs whose numbers docs/RESULTS.md reports.
 * May import autograd, nn and the other diffusion packages.
 */
package dev.distillery.diffusion.training;
