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
 * generator's rate to 0 by a cosine over {@code trainingSteps} (measured, docs/results-matching.md).
 * Budgets of the matching methods: measured sweeps in docs/results-matching.md.
 */
final class DistributionMethods {
    private DistributionMethods() {
    }

    /**
     * ADD with a lighter distillation term than the paper's (lambda 0.5 instead of 2.5, re-noising
     * to t in (0.02, 0.5) instead of (0.02, 0.98)): lambda balances the teacher's MSE against the
     * hinge loss of a frozen-feature discriminator, whose scale here (random features) is not
     * DINOv2's; and at high t the teacher's x0 of a multimodal toy is close to the data mean, which
     * pulls every sample there. Measured on 25-Gaussians with the trained teacher, 300 steps: sliced
     * W2 at 1/2/4 steps 3.6/2.5/1.6 with the paper's values, 1.0/0.9/0.7 with these (teacher DDIM:
     * 2.8/1.8/0.9).
     */
    static AdversarialDiffusionDistillation.Config addConfig() {
        return AdversarialDiffusionDistillation.Config.defaults().withDistillation(0.5, 0.02, 0.5);
    }

    static List<DistillMethod> all() {
        return List.of(
                RegisteredMethod.of("sds", "score distillation sampling as a generator loss, delta fake score (Poole et al. 2022)", 500, 1,
                        (s, n) -> new ScoreDistillationSampling(s, ScoreDistillationSampling.Config.defaults())),
                RegisteredMethod.of("unbiased-score", "DMD with the fake score estimated from generator samples (seed 001)", 1000, 1,
                        (s, n) -> new UnbiasedScoreDistillation(s, UnbiasedScoreDistillation.Config.defaults().withDecay(n))),
                RegisteredMethod.of("dmd", "distribution matching distillation + regression loss, one step (Yin et al. 2024)", 2000, 1,
                        (s, n) -> new DistributionMatchingDistillation(s, DistributionMatchingDistillation.Config.dmd().withDecay(n))),
                RegisteredMethod.of("dmd2", "DMD2: 5 fake-score updates per step, no regression, one step (Yin et al. 2024b)", 1000, 1,
                        (s, n) -> new DistributionMatchingDistillation(s, DistributionMatchingDistillation.Config.dmd2().withDecay(n))),
                RegisteredMethod.of("add", "adversarial diffusion distillation: hinge GAN on frozen features + teacher distillation (Sauer et al. 2023)", 3000, 1,
                        (s, n) -> new AdversarialDiffusionDistillation(s, addConfig())),
                RegisteredMethod.of("ddgan", "denoising diffusion GAN, T = 4 (Xiao et al. 2022)", 3000, 4,
                        (s, n) -> new DenoisingDiffusionGan(s, DenoisingDiffusionGan.Config.defaults())),
                RegisteredMethod.of("adversarial-every-step", "few-step student trained adversarially against the teacher's encoder (Kandinsky 3.1)", 3000, 4,
                        (s, n) -> new AdversarialEveryStep(s, AdversarialEveryStep.Config.defaults())));
    }
}
