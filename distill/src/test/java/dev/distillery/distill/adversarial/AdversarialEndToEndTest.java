package dev.distillery.distill.adversarial;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.diffusion.data.DataSource;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.diffusion.training.Recipes;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.matching.Toy25;
import org.junit.jupiter.api.Test;

/**
 * The adversarial methods on 25 Gaussians (Toy25) at CI budgets, asserting mode coverage and the
 * high-quality fraction at each method's natural step count (ADD 1, adversarial-every-step and
 * DDGAN 4). ADD and adversarial-every-step start from the small trained teacher network
 * ({@link Toy25#trainedTeacherSetup}: the 25-Gaussians recipe network, with its 128 input Fourier
 * features, at width 64); DDGAN trains from scratch on the analytic teacher with a student of the
 * same recipe network (Fourier features included). The bounds are the measured values of these
 * seeds with margin; the demo's numbers are in docs/results-adversarial.md.
 */
class AdversarialEndToEndTest {

    /** The analytic teacher with the demo's student architecture (the recipe network, Fourier features) at width 64. */
    static DistillSetup analyticSetupWithFourierStudent(int batch, long seed) {
        return new DistillSetup(new GaussianMixtureDenoiser(GaussianMixture.of(Toy25.SPEC), ContinuousCosine.INSTANCE),
                null, Recipes.mlpConfig25Gaussians(seed).withWidth(64), DataSource.mixture(Toy25.SPEC, DType.F32),
                new int[] {2}, DType.F32, batch, seed);
    }

    @Test
    void addCoversModesInOneStep() {
        Toy25.Run run = Toy25.train(new AdversarialDiffusionDistillation(Toy25.trainedTeacherSetup(128),
                AdversarialDiffusionDistillation.Config.gaussians25()), ADD_STEPS, 11L, 1);
        assertTrue(run.at(1).modes() >= ADD_MODES && run.at(1).hq() >= ADD_HQ, "add " + run.at(1));
    }

    @Test
    void adversarialEveryStepCoversModesInFourSteps() {
        Toy25.Run run = Toy25.train(new AdversarialEveryStep(Toy25.trainedTeacherSetup(128),
                AdversarialEveryStep.Config.defaults()), EVERY_STEPS, 11L, 4);
        assertTrue(run.at(4).modes() >= EVERY_MODES && run.at(4).hq() >= EVERY_HQ, "adversarial-every-step " + run.at(4));
    }

    /**
     * DDGAN does not yet learn on 25 Gaussians at any budget measured (docs/results-adversarial.md):
     * this only checks that it trains with finite losses and samples in its T = 4 steps; its
     * coverage is printed, not asserted.
     */
    @Test
    void ddganTrainsAndSamplesInFourSteps() {
        Toy25.Run run = Toy25.train(new DenoisingDiffusionGan(analyticSetupWithFourierStudent(128, 7L),
                DenoisingDiffusionGan.Config.defaults()), 200, 11L, 4);
        assertTrue(Double.isFinite(run.at(4).mmd()), run.at(4).toString());
    }

    // measured with these seeds on the width-64 toy teacher: add 1000 steps 5 modes / HQ 0.45 (7 s);
    // adversarial-every-step 300 steps 11 modes / HQ 0.27 (14 s); before issue 19 both were only MMD-bounded
    static final int ADD_STEPS = 1000;
    static final int ADD_MODES = 3;
    static final double ADD_HQ = 0.3;
    static final int EVERY_STEPS = 300;
    static final int EVERY_MODES = 8;
    static final double EVERY_HQ = 0.15;
}
