/**
 * The trajectory distillation methods (MATH.md sections 6.1-6.6), one
 * {@link dev.distillery.distill.Distiller} per method, each with a {@code Config} record holding the
 * paper's defaults:
 * <ul>
 *   <li>{@link dev.distillery.distill.trajectory.KnowledgeDistillation} (Luhman &amp; Luhman 2021);</li>
 *   <li>{@link dev.distillery.distill.trajectory.ProgressiveDistillation} (Salimans &amp; Ho 2022)
 *       and {@link dev.distillery.distill.trajectory.GuidedDistillation} (Meng et al. 2023),
 *       sharing the halving rounds of {@code HalvingRounds};</li>
 *   <li>{@link dev.distillery.distill.trajectory.ConsistencyDistillation} and
 *       {@link dev.distillery.distill.trajectory.ConsistencyTraining} (Song et al. 2023), sharing
 *       {@code ConsistencyFunction};</li>
 *   <li>{@link dev.distillery.distill.trajectory.ConsistencyTrajectoryModel} (Kim et al. 2024);</li>
 *   <li>{@link dev.distillery.distill.trajectory.RectifiedFlow} (Liu et al. 2023).</li>
 * </ul>
 *
 * <p><b>Units.</b> Every network reads the VP latent z and continuous time t in [0, 1] of the
 * teacher's schedule (rectified flow: its own linear-interpolation time), and is read as an
 * x-prediction through {@code Student} (eps, x or v, MATH.md section 3). Consistency models and
 * CTM work in EDM units {@code x = z/alpha}, {@code sigma_edm = sigma/alpha} ({@code EdmView}),
 * converting with {@code timeFromSigmaEdm}. A generator's noise is N(0, I) in the VP sense (z at
 * t = 1); EDM-unit methods start from {@code sigma_max * noise}; every generator returns data-space
 * samples. Teacher evaluations run under no-grad and targets are detached.
 *
 * <p>May import {@code autograd}, {@code nn}, {@code diffusion} and {@code distill.core}.
 */
package dev.distillery.distill.trajectory;
