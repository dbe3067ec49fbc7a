package dev.distillery.distill.matching;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.distill.adversarial.AdversarialDiffusionDistillation;
import dev.distillery.distill.adversarial.AdversarialEveryStep;
import dev.distillery.distill.adversarial.DenoisingDiffusionGan;
import org.junit.jupiter.api.Test;

/**
 * Every distribution method on 25-Gaussians (Toy25) with a CI-sized budget (batch 128-256, width
 * 64-128, a few hundred steps): the score-based ones and DDGAN on the analytic teacher, ADD and
 * adversarial-every-step from a small trained teacher network they start from (measured MMD^2 at
 * 1 / 2 steps: ADD 0.043 / 0.033, adversarial-every-step 0.083 / 0.030, the teacher's DDIM 0.49 / 0.13). Each test prints modes covered, per-mode
 * counts (recall proxy), HQ fraction (precision proxy) and MMD^2 at 1, 2, 4 steps. The bounds are
 * the ones these budgets reach with these seeds, with margin; an untrained generator (outputs
 * near one point) has MMD^2 about 0.8, the reference mixture against itself about 0.
 */
class DistributionMethodsEndToEndTest {

    /** SDS seeks modes: measured, all samples collapse onto (nearly) one mode, sharply. */
    @Test
    void sdsCollapsesOntoFewModesSharply() {
        Toy25.Run run = Toy25.probe(s -> new ScoreDistillationSampling(s, ScoreDistillationSampling.Config.defaults()),
                256, 128, 600);
        assertTrue(run.at(1).modes() <= 3, run.at(1).toString());
        assertTrue(run.at(1).hq() >= 0.8, run.at(1).toString());
    }

    @Test
    void dmdMatchesTheDistributionBetterThanAnUntrainedGenerator() {
        Toy25.Run run = Toy25.probe(s -> new DistributionMatchingDistillation(s,
                DistributionMatchingDistillation.Config.dmd()), 256, 128, 400);
        assertTrue(run.at(1).mmd() < 0.2, run.at(1).toString());
    }

    /**
     * DMD2 from the teacher network (as the paper starts it) beats the teacher's DDIM at 2 steps
     * (measured MMD^2 0.076 vs 0.133; at 1 step it collapses onto the centre mode, 0.59 vs 0.49).
     * From scratch on the analytic teacher 200 steps either collapsed onto the centre mode (which an
     * "HQ fraction" bound once mistook for success) or stayed untrained, depending on the stream.
     */
    @Test
    void dmd2BeatsTheTeachersDdimAtTwoSteps() {
        var setup = Toy25.trainedTeacherSetup(128);
        Toy25.Run run = Toy25.train(new DistributionMatchingDistillation(setup,
                DistributionMatchingDistillation.Config.dmd2()), 200, 11L, 1, 2, 4);
        Toy25.Eval teacher = Toy25.evaluate(Toy25.teacherDdim(setup), 2, 28L);
        assertTrue(run.at(2).mmd() < teacher.mmd(), "dmd2 " + run.at(2) + " vs teacher " + teacher);
    }

    @Test
    void unbiasedScoreMatchesTheDistributionBetterThanAnUntrainedGenerator() {
        Toy25.Run run = Toy25.probe(s -> new UnbiasedScoreDistillation(s, new UnbiasedScoreDistillation.Config(1e-3,
                256, 0.02, 0.98, 4, 0)), 128, 128, 400);
        assertTrue(run.at(1).mmd() < 0.3, run.at(1).toString());
    }

    @Test
    void ddganMatchesTheDistributionInFourSteps() {
        Toy25.Run run = Toy25.train(new DenoisingDiffusionGan(Toy25.setup(128, 128, 7L),
                DenoisingDiffusionGan.Config.defaults()), 300, 11L, 4);
        assertTrue(run.at(4).mmd() < 0.1, run.at(4).toString());
    }

    /**
     * ADD starts from the teacher network (the paper's setting; from scratch this budget reaches
     * nothing), with the registry's lighter distillation term, and must beat the teacher's own DDIM
     * at 1 and 2 steps (measured: see the printed report).
     */
    @Test
    void addBeatsTheTeachersDdimAtOneAndTwoSteps() {
        var setup = Toy25.trainedTeacherSetup(128);
        Toy25.Run run = Toy25.train(new AdversarialDiffusionDistillation(setup,
                AdversarialDiffusionDistillation.Config.defaults().withDistillation(0.5, 0.02, 0.5)), 300, 11L, 1, 2, 4);
        for (int steps : new int[] {1, 2}) {
            Toy25.Eval teacher = Toy25.evaluate(Toy25.teacherDdim(setup), steps, 28L);
            System.out.println("[toy25] teacher DDIM-" + steps + " " + teacher);
            assertTrue(run.at(steps).mmd() < teacher.mmd(), "add " + run.at(steps) + " vs teacher " + teacher);
        }
    }

    /** Adversarial loss on every step from the teacher network: must beat the teacher's DDIM at 2 steps. */
    @Test
    void adversarialEveryStepBeatsTheTeachersDdimAtTwoSteps() {
        var setup = Toy25.trainedTeacherSetup(128);
        Toy25.Run run = Toy25.train(new AdversarialEveryStep(setup, AdversarialEveryStep.Config.defaults()), 300, 11L,
                1, 2, 4);
        Toy25.Eval teacher = Toy25.evaluate(Toy25.teacherDdim(setup), 2, 28L);
        System.out.println("[toy25] teacher DDIM-2 " + teacher);
        assertTrue(run.at(2).mmd() < teacher.mmd(), "adversarial-every-step " + run.at(2) + " vs teacher " + teacher);
    }
}
