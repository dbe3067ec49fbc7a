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
 * Each entry's knobs ({@link Knob}) override its config.
 */
final class DistributionMethods {
    private DistributionMethods() {
    }

    static List<DistillMethod> all() {
        return List.of(
                RegisteredMethod.of(ScoreDistillationSampling.NAME, "score distillation sampling as a generator loss, delta fake score (Poole et al. 2022)", 500, 1,
                        scoreDistillation()),
                RegisteredMethod.of(UnbiasedScoreDistillation.NAME, "DMD with the fake score estimated from generator samples instead of an auxiliary network, + regression loss, one step", 3000, 1,
                        unbiasedScore()),
                RegisteredMethod.of(DistributionMatchingDistillation.DMD, "distribution matching distillation + regression loss, one step (Yin et al. 2024)", 3000, 1,
                        distributionMatching(DistributionMatchingDistillation.Config.dmd(), true)),
                RegisteredMethod.of(DistributionMatchingDistillation.DMD2, "DMD2: 5 fake-score updates per step, GAN term, no regression, one step (Yin et al. 2024b)", 2000, 1,
                        distributionMatching(DistributionMatchingDistillation.Config.dmd2(), false)),
                RegisteredMethod.of(AdversarialDiffusionDistillation.NAME, "adversarial diffusion distillation: hinge GAN (trainable Fourier-feature MLP discriminator on vector data) + teacher distillation (Sauer et al. 2023)", 2000, 1,
                        adversarialDiffusion()),
                RegisteredMethod.of(DenoisingDiffusionGan.NAME, "denoising diffusion GAN, T = 4, generator from the teacher (Xiao et al. 2022)", 3000, 4,
                        denoisingDiffusionGan()),
                RegisteredMethod.of(AdversarialEveryStep.NAME, "few-step student trained adversarially against the teacher's encoder (Kandinsky 3.1)", 2000, 4,
                        adversarialEveryStep()));
    }

    /** The regression-weight knob's description (DMD's and unbiased-score's). */
    private static final String REGRESSION = "weight lambda_reg of the regression loss on teacher pairs (0: none)";

    /** The student-steps knob's description (DMD's, DMD2's and ADD's). */
    private static final String STUDENT_STEPS = "student steps n it is trained for (n = 4 covers the times of 1-, 2- and 4-step sampling)";

    /** The start-time knob's description (one text for every generator that has it). */
    private static final String START = "time t in (0, 1] at which the generator's first step reads its noise (1: pure noise, the papers')";

    // The recipes and their knobs: each knob reads and writes the config through the record's own
    // accessors and withX methods (the canonical constructor where there is none), so the defaults
    // stay in the configs.

    private static Recipe<ScoreDistillationSampling.Config> scoreDistillation() {
        return Recipe.fixed(ScoreDistillationSampling.Config.defaults(), (s, c, n) -> new ScoreDistillationSampling(s, c))
                .real("lr", "Adam learning rate", Knob.Domain.above(0), ScoreDistillationSampling.Config::lr,
                        (c, lr) -> new ScoreDistillationSampling.Config(lr, c.weighting(), c.tMin(), c.tMax(), c.studentSteps()));
    }

    private static Recipe<UnbiasedScoreDistillation.Config> unbiasedScore() {
        return Recipe.<UnbiasedScoreDistillation.Config>sized((s, batch, n) -> {
                            UnbiasedScoreDistillation.Config c = UnbiasedScoreDistillation.Config.defaults().withDecay(n);
                            return c.withRegression(c.regressionWeight(), regressionPairs(c.regressionPairs(), batch, n),
                                    c.pairDdimSteps());
                        },
                        (s, c, n) -> new UnbiasedScoreDistillation(s, c))
                .real("lr", "Adam learning rate of the generator (decayed to 0 by a cosine over the run)", Knob.Domain.above(0),
                        UnbiasedScoreDistillation.Config::lr, UnbiasedScoreDistillation.Config::withLearningRate)
                .integer("reference-samples", "generator samples N behind each Monte-Carlo estimate of its score",
                        Knob.Domain.atLeast(1), UnbiasedScoreDistillation.Config::referenceSamples,
                        UnbiasedScoreDistillation.Config::withReferenceSamples)
                .real("reg", REGRESSION, Knob.Domain.atLeast(0), UnbiasedScoreDistillation.Config::regressionWeight,
                        (c, w) -> c.withRegression(w, c.regressionPairs(), c.pairDdimSteps()))
                .real("start", START, Knob.Domain.time(), UnbiasedScoreDistillation.Config::startTime,
                        UnbiasedScoreDistillation.Config::withStartTime);
    }

    /**
     * The recipe's number of regression pairs, but no more than a quarter of the samples the run
     * draws ({@code steps x batch / 4}: each pair is used about four times), as knowledge
     * distillation sizes its pairs: every pair costs a teacher ODE solve, which for a memorising
     * mixture of the training digits is the dearest part of a short run. The 25-Gaussians recipes
     * (3000 steps of 128) keep all of theirs. 0 stays 0 (no regression loss).
     */
    static int regressionPairs(int recipePairs, int batch, int trainingSteps) {
        if (recipePairs == 0) {
            return 0;
        }
        return (int) Math.max(1, Math.min(recipePairs, (long) trainingSteps * batch / 4));
    }

    /** DMD ({@code regression}: with its regression loss, the one knob DMD2 lacks) and DMD2. */
    private static Recipe<DistributionMatchingDistillation.Config> distributionMatching(DistributionMatchingDistillation.Config recipe,
                                                                                         boolean regression) {
        Recipe<DistributionMatchingDistillation.Config> r = Recipe.<DistributionMatchingDistillation.Config>sized(
                        (s, batch, n) -> recipe.withDecay(n).withRegression(recipe.regressionWeight(),
                                regressionPairs(recipe.regressionPairs(), batch, n), recipe.pairDdimSteps()),
                        (s, c, n) -> new DistributionMatchingDistillation(s, c))
                .integer("fake-updates", "fake-score updates per generator update", Knob.Domain.atLeast(0),
                        DistributionMatchingDistillation.Config::fakeUpdates, DistributionMatchingDistillation.Config::withFakeUpdates)
                .real("gan", "weight lambda_GAN of the GAN term (0: none)", Knob.Domain.atLeast(0),
                        DistributionMatchingDistillation.Config::ganWeight, DistributionMatchingDistillation.Config::withGan)
                .real("lr", "Adam learning rate of the generator (decayed to 0 by a cosine over the run)", Knob.Domain.above(0),
                        DistributionMatchingDistillation.Config::lr, (c, lr) -> c.withLearningRates(lr, c.fakeLr()))
                .real("fake-lr", "Adam learning rate of the fake score", Knob.Domain.above(0),
                        DistributionMatchingDistillation.Config::fakeLr, (c, lr) -> c.withLearningRates(c.lr(), lr))
                .real("start", START, Knob.Domain.time(), DistributionMatchingDistillation.Config::startTime,
                        DistributionMatchingDistillation.Config::withStartTime)
                .integer("student-steps", STUDENT_STEPS, Knob.Domain.atLeast(1),
                        DistributionMatchingDistillation.Config::studentSteps,
                        DistributionMatchingDistillation.Config::withStudentSteps);
        return regression ? r.real("reg", REGRESSION, Knob.Domain.atLeast(0),
                DistributionMatchingDistillation.Config::regressionWeight,
                (c, w) -> c.withRegression(w, c.regressionPairs(), c.pairDdimSteps())) : r;
    }

    private static Recipe<AdversarialDiffusionDistillation.Config> adversarialDiffusion() {
        return Recipe.fixed(AdversarialDiffusionDistillation.Config.gaussians25(), (s, c, n) -> new AdversarialDiffusionDistillation(s, c, n))
                .real("ema", "decay of the student EMA that samples (0: the live student)", Knob.Domain.decay(),
                        AdversarialDiffusionDistillation.Config::emaDecay, (c, e) -> c.withStudentAveraging(e, c.decayShare()))
                .integer("dsteps", "discriminator updates per student update", Knob.Domain.atLeast(1),
                        AdversarialDiffusionDistillation.Config::discriminatorSteps,
                        AdversarialDiffusionDistillation.Config::withDiscriminatorSteps)
                .real("distill-weight", "weight lambda of the teacher distillation term", Knob.Domain.atLeast(0),
                        AdversarialDiffusionDistillation.Config::distillWeight, (c, w) -> c.withDistillation(w, c.tMin(), c.tMax()))
                .real("lr", "Adam learning rate of the student", Knob.Domain.above(0), AdversarialDiffusionDistillation.Config::lr,
                        (c, lr) -> c.withOptimizer(lr, c.discriminatorLr(), c.beta1(), c.beta2()))
                .real("dlr", "Adam learning rate of the discriminator", Knob.Domain.above(0),
                        AdversarialDiffusionDistillation.Config::discriminatorLr,
                        (c, lr) -> c.withOptimizer(c.lr(), lr, c.beta1(), c.beta2()))
                .real("decay", "final share of the run over which the student's learning rate decays to 0", Knob.Domain.share(),
                        AdversarialDiffusionDistillation.Config::decayShare, (c, d) -> c.withStudentAveraging(c.emaDecay(), d))
                .real("start", START, Knob.Domain.time(), AdversarialDiffusionDistillation.Config::startTime,
                        AdversarialDiffusionDistillation.Config::withStartTime)
                .integer("student-steps", STUDENT_STEPS, Knob.Domain.atLeast(1),
                        AdversarialDiffusionDistillation.Config::studentSteps,
                        AdversarialDiffusionDistillation.Config::withStudentSteps)
                .real("dmax", "largest time t_d the discriminator's inputs are re-noised to (0: clean; images with a teacher network need > 0)",
                        Knob.Domain.closed(0, 1), AdversarialDiffusionDistillation.Config::discriminatorMaxTime,
                        AdversarialDiffusionDistillation.Config::withDiscriminatorMaxTime)
                .real("r1", "weight gamma of the R1 penalty on the discriminator's real input", Knob.Domain.atLeast(0),
                        AdversarialDiffusionDistillation.Config::r1Gamma,
                        (c, g) -> c.withDiscriminator(g, c.discriminatorWidth(), c.discriminatorLayers(), c.discriminatorFourier()));
    }

    private static Recipe<DenoisingDiffusionGan.Config> denoisingDiffusionGan() {
        return Recipe.fixed(DenoisingDiffusionGan.Config.defaults(), (s, c, n) -> new DenoisingDiffusionGan(s, c))
                .real("ema", "decay of the generator EMA that samples (0: the live generator)", Knob.Domain.decay(),
                        DenoisingDiffusionGan.Config::emaDecay, (c, e) -> c.withTraining(c.fromTeacher(), c.discriminatorSteps(), e))
                .integer("dsteps", "discriminator updates per generator update", Knob.Domain.atLeast(1),
                        DenoisingDiffusionGan.Config::discriminatorSteps, (c, k) -> c.withTraining(c.fromTeacher(), k, c.emaDecay()))
                .real("lr", "Adam learning rate of the generator", Knob.Domain.above(0), DenoisingDiffusionGan.Config::lr,
                        (c, lr) -> c.withOptimizer(lr, c.discriminatorLr(), c.beta1(), c.beta2()))
                .real("dlr", "Adam learning rate of the discriminator", Knob.Domain.above(0),
                        DenoisingDiffusionGan.Config::discriminatorLr, (c, lr) -> c.withOptimizer(c.lr(), lr, c.beta1(), c.beta2()));
    }

    private static Recipe<AdversarialEveryStep.Config> adversarialEveryStep() {
        return Recipe.fixed(AdversarialEveryStep.Config.defaults(), (s, c, n) -> new AdversarialEveryStep(s, c, n))
                .real("ema", "decay of the student EMA that samples (0: the live student)", Knob.Domain.decay(),
                        AdversarialEveryStep.Config::emaDecay, (c, e) -> c.withTraining(c.discriminatorSteps(), e, c.decayShare()))
                .integer("dsteps", "discriminator-head updates per student update", Knob.Domain.atLeast(1),
                        AdversarialEveryStep.Config::discriminatorSteps, (c, k) -> c.withTraining(k, c.emaDecay(), c.decayShare()))
                .real("lr", "Adam learning rate of the student", Knob.Domain.above(0), AdversarialEveryStep.Config::lr,
                        (c, lr) -> c.withRates(lr, c.discriminatorLr()))
                .real("dlr", "Adam learning rate of the discriminator heads", Knob.Domain.above(0),
                        AdversarialEveryStep.Config::discriminatorLr, (c, lr) -> c.withRates(c.lr(), lr))
                .real("decay", "final share of the run over which the student's learning rate decays to 0", Knob.Domain.share(),
                        AdversarialEveryStep.Config::decayShare, (c, d) -> c.withTraining(c.discriminatorSteps(), c.emaDecay(), d))
                .real("start", START, Knob.Domain.time(), AdversarialEveryStep.Config::startTime,
                        AdversarialEveryStep.Config::withStartTime);
    }
}
