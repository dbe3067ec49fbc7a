package dev.distillery.distill;

import dev.distillery.distill.trajectory.ConsistencyDistillation;
import dev.distillery.distill.trajectory.ConsistencyTraining;
import dev.distillery.distill.trajectory.ConsistencyTrajectoryModel;
import dev.distillery.distill.trajectory.GuidedDistillation;
import dev.distillery.distill.trajectory.KnowledgeDistillation;
import dev.distillery.distill.trajectory.ProgressiveDistillation;
import dev.distillery.distill.trajectory.RectifiedFlow;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.UNetConfig;

import java.util.List;

/**
 * The methods that learn to jump along the teacher's ODE trajectories (MATH.md section 6):
 * knowledge distillation, progressive and guided distillation, consistency models, CTM,
 * rectified flow. Each entry uses its config's {@code defaults()} (the paper's values, cited there).
 */
final class TrajectoryMethods {
    private TrajectoryMethods() {
    }

    static List<DistillMethod> all() {
        return List.of(
                RegisteredMethod.of(KnowledgeDistillation.NAME, "knowledge distillation of the teacher's ODE into one step (Luhman & Luhman 2021)",
                        2500, 1, (s, n) -> new KnowledgeDistillation(s, kdConfig(s, n), n)),
                RegisteredMethod.of(ProgressiveDistillation.NAME, "progressive distillation, halving the steps down to 1 (Salimans & Ho 2022)",
                        3000, 4, (s, n) -> new ProgressiveDistillation(s, ProgressiveDistillation.Config.defaults(), n)),
                new RegisteredMethod(GuidedDistillation.NAME, "guided distillation: w-conditioned student, then progressive (Meng et al. 2023)",
                        3000, 4, (s, n) -> new GuidedDistillation(s, GuidedDistillation.Config.defaults(classes(s)), n),
                        k -> Conditioning.none().withClasses(k).withGuidanceScale(), true),
                RegisteredMethod.of(ConsistencyDistillation.NAME, "consistency distillation with an EMA target (Song et al. 2023)",
                        16000, 1, (s, n) -> new ConsistencyDistillation(s, ConsistencyDistillation.Config.defaults(), n)),
                RegisteredMethod.of(ConsistencyTraining.NAME, "consistency training without a teacher in the loss (Song et al. 2023)",
                        3000, 1, (s, n) -> new ConsistencyTraining(s, ctConfig(n), n)),
                new RegisteredMethod(ConsistencyTrajectoryModel.NAME, "consistency trajectory model G(x_t, t, s) with DSM (Kim et al. 2024)",
                        8000, 1, (s, n) -> new ConsistencyTrajectoryModel(s, ConsistencyTrajectoryModel.Config.defaults(), n),
                        k -> Conditioning.none().withSecondTime(), false),
                RegisteredMethod.of(RectifiedFlow.NAME, "k-rectified flow with reflow and one-step distillation (Liu et al. 2023)",
                        3000, 1, (s, n) -> new RectifiedFlow(s, rectifiedFlowConfig(s, n), n)));
    }

    /**
     * The defaults with at most {@value #KD_PAIRS} teacher pairs, and no more than a quarter of what
     * the run draws ({@code steps x batch / 4}, so each pair is seen about four times): each pair
     * costs a 50-step teacher ODE solve, and on 2-D data 16,384 pairs already give 25 modes, HQ 0.85
     * after 3000 steps (docs/RESULTS.md), the pair solves then costing less than the training.
     */
    private static KnowledgeDistillation.Config kdConfig(DistillSetup s, int trainingSteps) {
        KnowledgeDistillation.Config d = KnowledgeDistillation.Config.defaults();
        long drawn = Math.min(KD_PAIRS, (long) trainingSteps * s.batchSize() / 4);
        return drawn < d.pairs() ? d.withPairs((int) Math.max(1, drawn)) : d;
    }

    /** The most knowledge-distillation pairs a registry run draws. */
    static final int KD_PAIRS = 16_384;

    /**
     * The paper's defaults with the curriculum's final discretization N sized to the run:
     * {@code clamp(steps / 1000, 20, 150)}. The paper's N = 150 belongs to its 800k iterations; in a
     * run of a few hundred or thousand steps the grid refines faster than the student can follow and
     * it stays at the data mean (25-Gaussians, 1,200 steps from scratch: sliced W2 2.3 at 2 and 4
     * steps with N = 150, 0.39 and 0.37 with N = 20; TrajectoryE2eTest).
     */
    private static ConsistencyTraining.Config ctConfig(int trainingSteps) {
        ConsistencyTraining.Config d = ConsistencyTraining.Config.defaults();
        return d.withCurriculum(d.s0(), Math.max(20, Math.min(d.s1(), trainingSteps / 1000)));
    }

    /**
     * {@link RectifiedFlow.Config#fromTeacherOde()}, with pair sets of at most {@value #KD_PAIRS} (as
     * knowledge distillation's; each teacher pair costs a 50-step ODE solve) and no larger than a
     * quarter of what the run draws, and 32 Euler steps per distillation
     * pair instead of 100: the flow trained on the teacher's coupling is nearly straight, so 32 steps
     * already integrate it well on the 2-D demo.
     */
    private static RectifiedFlow.Config rectifiedFlowConfig(DistillSetup s, int trainingSteps) {
        RectifiedFlow.Config d = RectifiedFlow.Config.fromTeacherOde();
        long drawn = Math.max(1, Math.min(KD_PAIRS, (long) trainingSteps * s.batchSize() / 4));
        return d.withPairs((int) Math.min(d.pairs(), drawn), 32);
    }

    /** The number of classes the student embeds (guided distillation draws labels below it). */
    private static int classes(DistillSetup s) {
        Conditioning c = s.studentConfig() instanceof MlpConfig m ? m.conditioning()
                : s.studentConfig() instanceof UNetConfig u ? u.conditioning() : null;
        if (c == null || c.numClasses() < 1 || !c.guidanceScale()) {
            throw new IllegalArgumentException("guided distillation needs a student config with classes and a guidance "
                    + "scale (Conditioning.withClasses(K).withGuidanceScale())");
        }
        return c.numClasses();
    }
}
