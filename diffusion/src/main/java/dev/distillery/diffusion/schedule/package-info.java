/**
 * Noise schedules (MATH.md section 0): continuous ({@link dev.distillery.diffusion.schedule.NoiseSchedule},
 * {@link dev.distillery.diffusion.schedule.ContinuousCosine},
 * {@link dev.distillery.diffusion.schedule.LogSnrLinear}), discrete
 * ({@link dev.distillery.diffusion.schedule.DiscreteSchedule} built by
 * {@link dev.distillery.diffusion.schedule.DiscreteSchedules}), EDM noise levels
 * ({@link dev.distillery.diffusion.schedule.KarrasSigmas}), tables for the CLI, and the error
 * measure of identity I1.
 *
 * <p>Pure double-precision math: this package imports nothing from the tensor layer. Transcendental
 * functions use {@link java.lang.StrictMath} so that schedules are bit-identical on every JVM.
 * Naming keeps MATH.md's two alphas apart: {@code alpha(t)} is always the signal coefficient
 * {@code sqrt(abar_t)}; Ho et al.'s one-step {@code alpha_t = 1 - beta_t} is
 * {@code oneStepSignalFactor(t)}.
 */
package dev.distillery.diffusion.schedule;
