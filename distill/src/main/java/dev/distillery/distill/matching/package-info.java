/**
 * The distribution-matching methods (docs/MATH.md sections 6.8-6.10): score distillation sampling
 * ({@link dev.distillery.distill.matching.ScoreDistillationSampling}, Poole et al. 2022), the
 * unbiased score estimator ({@link dev.distillery.distill.matching.UnbiasedScoreDistillation}), DMD
 * and DMD2 ({@link dev.distillery.distill.matching.DistributionMatchingDistillation}, Yin et al.
 * 2024, 2024b). They share a few-step generator and its training ({@code GeneratorTraining},
 * {@code FewStepSampler}) and the student-as-denoiser {@code Student}.
 */
package dev.distillery.distill.matching;
