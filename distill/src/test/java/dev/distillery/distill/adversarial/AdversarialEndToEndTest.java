package dev.distillery.distill.adversarial;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.distill.matching.Toy25;
import org.junit.jupiter.api.Test;

/**
 * The adversarial methods on 25 Gaussians (Toy25) at CI budgets, asserting mode coverage and the
 * high-quality fraction at each method's natural step count (ADD 1, adversarial-every-step and
 * DDGAN 4). All three start from the small trained teacher network
 * ({@link Toy25#trainedTeacherSetup}: the 25-Gaussians recipe network, with its 128 input Fourier
 * features, at width 64). The bounds are the measured values of these
 * seeds with margin; the demo's numbers are in docs/RESULTS.md, adversarial section.
 */
class AdversarialEndToEndTest {

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

    @Test
    void ddganCoversModesInFourSteps() {
        Toy25.Run run = Toy25.train(new DenoisingDiffusionGan(Toy25.trainedTeacherSetup(128),
                DenoisingDiffusionGan.Config.defaults()), DDGAN_STEPS, 11L, 4);
        System.out.println("[ci] ddgan " + run.at(4));
        assertTrue(run.at(4).modes() >= DDGAN_MODES && run.at(4).hq() >= DDGAN_HQ, "ddgan " + run.at(4));
    }

    // measured with these seeds on the width-64 toy teacher: add 1000 steps 5 modes / HQ 0.45 (7 s);
    // ddgan (from the teacher) 600 steps 10 modes / HQ 0.24 (12 s; from scratch it learned nothing);
    // adversarial-every-step 300 steps 11 modes / HQ 0.27 (14 s); before issue 19 both were only MMD-bounded
    static final int ADD_STEPS = 1000;
    static final int ADD_MODES = 3;
    static final double ADD_HQ = 0.3;
    static final int DDGAN_STEPS = 600;
    static final int DDGAN_MODES = 6;
    static final double DDGAN_HQ = 0.15;
    static final int EVERY_STEPS = 300;
    static final int EVERY_MODES = 8;
    static final double EVERY_HQ = 0.15;
}
