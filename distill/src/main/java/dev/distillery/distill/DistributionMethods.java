package dev.distillery.distill;

import dev.distillery.distill.adversarial.AdversarialDiffusionDistillation;
import dev.distillery.distill.adversarial.AdversarialEveryStep;
import dev.distillery.distill.adversarial.DenoisingDiffusionGan;
import dev.distillery.distill.matching.DistributionMatchingDistillation;
import dev.distillery.distill.matching.ScoreDistillationSampling;
import dev.distillery.distill.matching.UnbiasedScoreDistillation;

import java.util.List;

/**
 * The methods that match distributions rather than trajectories (MATH.md section 6): SDS, the
 * unbiased score estimator, DMD and DMD2, ADD, denoising diffusion GANs, adversarial loss on
 * every step. Each factory uses its config's paper defaults; SDS, ADD, DDGAN and
 * adversarial-every-step keep constant learning rates, while unbiased-score, DMD and DMD2 decay the
 * generator's rate to 0 by a cosine over {@code trainingSteps} (measured, docs/RESULTS.md, distribution-matching section).
 * Budgets of the matching methods: measured sweeps in docs/RESULTS.md, distribution-matching section.
 */
final class DistributionMethods {
    private DistributionMethods() {
    }

    static List<DistillMethod> all() {
        return List.of(
                RegisteredMethod.of(ScoreDistillationSampling.NAME, "score distillation sampling as a generator loss, delta fake score (Poole et al. 2022)", 500, 1,
                        (s, n) -> new ScoreDistillationSampling(s, ScoreDistillationSampling.Config.defaults())),
                RegisteredMethod.of(UnbiasedScoreDistillation.NAME, "DMD with the fake score estimated from generator samples (an unbiased Monte-Carlo score of the generator)", 1000, 1,
                        (s, n) -> new UnbiasedScoreDistillation(s, UnbiasedScoreDistillation.Config.defaults().withDecay(n))),
                RegisteredMethod.of(DistributionMatchingDistillation.DMD, "distribution matching distillation + regression loss, one step (Yin et al. 2024)", 2000, 1,
                        (s, n) -> new DistributionMatchingDistillation(s, DistributionMatchingDistillation.Config.dmd().withDecay(n))),
                RegisteredMethod.of(DistributionMatchingDistillation.DMD2, "DMD2: 5 fake-score updates per step, GAN term, no regression, one step (Yin et al. 2024b)", 2000, 1,
                        (s, n) -> new DistributionMatchingDistillation(s, DistributionMatchingDistillation.Config.dmd2().withDecay(n))),
                RegisteredMethod.of(AdversarialDiffusionDistillation.NAME, "adversarial diffusion distillation: hinge GAN (trainable Fourier-feature MLP discriminator on vector data) + teacher distillation (Sauer et al. 2023)", 2000, 1,
                        (s, n) -> new AdversarialDiffusionDistillation(s, AdversarialDiffusionDistillation.Config.gaussians25(), n)),
                RegisteredMethod.of(DenoisingDiffusionGan.NAME, "denoising diffusion GAN, T = 4, generator from the teacher (Xiao et al. 2022)", 3000, 4,
                        (s, n) -> new DenoisingDiffusionGan(s, DenoisingDiffusionGan.Config.defaults())),
                RegisteredMethod.of(AdversarialEveryStep.NAME, "few-step student trained adversarially against the teacher's encoder (Kandinsky 3.1)", 2000, 4,
                        (s, n) -> new AdversarialEveryStep(s, AdversarialEveryStep.Config.defaults(), n)));
    }
}
