/**
 * The shared mathematical core of the distillation methods (MATH.md sections 4 and 6): pure
 * functions on {@link dev.distillery.autograd.Tensor}s and doubles, written once so that every
 * method uses the same equations.
 *
 * <ul>
 *   <li>Trajectory methods: {@link dev.distillery.distill.core.DdimStep} (teacher ODE steps),
 *       {@link dev.distillery.distill.core.ProgressiveTarget} and
 *       {@link dev.distillery.distill.core.LossWeighting} (progressive distillation, Salimans &amp; Ho 2022),
 *       {@link dev.distillery.distill.core.ConsistencyParameterization} and
 *       {@link dev.distillery.distill.core.Distance} (consistency models),
 *       {@link dev.distillery.distill.core.CtmParameterization} (CTM),
 *       {@link dev.distillery.distill.core.RectifiedFlow} (rectified flow and reflow).</li>
 *   <li>Distribution matching: {@link dev.distillery.distill.core.SurrogateLoss} (the
 *       {@code 1/2 ||x - sg(x - g)||^2} trick, I18), {@link dev.distillery.distill.core.ScoreDistillation}
 *       (SDS, I19), {@link dev.distillery.distill.core.UnbiasedScoreEstimator},
 *       {@link dev.distillery.distill.core.DmdGradient} (DMD / DMD2).</li>
 * </ul>
 *
 * <p>Conventions. Tensors are batch-first {@code [B, ...]}; a coefficient is either a double or a
 * per-sample tensor {@code [B]} (or rank 0) broadcast over the data dimensions
 * ({@link dev.distillery.diffusion.denoise.PerSample}). {@code alpha, sigma} are the signal and noise
 * coefficients of the marginal {@code z_t = alpha_t x + sigma_t eps} (MATH.md section 0), never
 * Ho et al.'s one-step factor. Nothing here keeps state or draws random numbers unless it takes
 * an {@link dev.distillery.autograd.random.Rng}. May import {@code autograd} and
 * {@code diffusion.schedule} and {@code diffusion.denoise.PerSample} only.
 */
package dev.distillery.distill.core;
