package dev.distillery.distill;

import dev.distillery.diffusion.schedule.EdmConfig;
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
 * rectified flow. Each entry uses its config's {@code defaults()} (the paper's values, cited there),
 * some sized to the run (documented at the sizing); its knobs ({@link Knob}) override them.
 */
final class TrajectoryMethods {
    private TrajectoryMethods() {
    }

    static List<DistillMethod> all() {
        return List.of(
                RegisteredMethod.of(KnowledgeDistillation.NAME, "knowledge distillation of the teacher's ODE into one step (Luhman & Luhman 2021)",
                        2500, 1, knowledgeDistillation()),
                RegisteredMethod.of(ProgressiveDistillation.NAME, "progressive distillation, halving the steps down to 1 (Salimans & Ho 2022)",
                        3000, 4, progressive()),
                new RegisteredMethod(GuidedDistillation.NAME, "guided distillation: w-conditioned student, then progressive (Meng et al. 2023)",
                        3000, 4, guided(), k -> Conditioning.none().withClasses(k).withGuidanceScale(), true),
                RegisteredMethod.of(ConsistencyDistillation.NAME, "consistency distillation with an EMA target (Song et al. 2023)",
                        16000, 1, consistencyDistillation()),
                RegisteredMethod.of(ConsistencyTraining.NAME, "consistency training without a teacher in the loss, score from data (Song et al. 2023; Xu et al. 2023)",
                        8000, 1, consistencyTraining()),
                new RegisteredMethod(ConsistencyTrajectoryModel.NAME, "consistency trajectory model G(x_t, t, s) with DSM (Kim et al. 2024)",
                        8000, 1, consistencyTrajectoryModel(), k -> Conditioning.none().withSecondTime(), false),
                RegisteredMethod.of(RectifiedFlow.NAME, "k-rectified flow with reflow and one-step distillation (Liu et al. 2023)",
                        3000, 1, rectifiedFlow()));
    }

    // The recipes and their knobs. A knob reads and writes its config through the record's own
    // accessors and withX methods (the canonical constructor where there is none), so the
    // defaults stay where they are, in the configs.

    private static Recipe<KnowledgeDistillation.Config> knowledgeDistillation() {
        return Recipe.<KnowledgeDistillation.Config>sized((s, batch, n) -> kdConfig(batch, n),
                        (s, c, n) -> new KnowledgeDistillation(s, c, n))
                .real("lr", "Adam learning rate", Knob.Domain.above(0), KnowledgeDistillation.Config::learningRate,
                        KnowledgeDistillation.Config::withLearningRate)
                .real("decay", "final share of the run over which the learning rate decays to 0", Knob.Domain.share(),
                        KnowledgeDistillation.Config::decayShare, KnowledgeDistillation.Config::withDecayShare)
                .integer("pairs", "teacher ODE pairs (sized to the run: min(" + KD_PAIRS + ", steps x batch / 4))",
                        Knob.Domain.atLeast(1), KnowledgeDistillation.Config::pairs, KnowledgeDistillation.Config::withPairs)
                .integer("solver-steps", "teacher ODE solver steps per pair", Knob.Domain.atLeast(1),
                        KnowledgeDistillation.Config::solverSteps, (c, k) -> c.withSolver(c.solver(), k));
    }

    private static Recipe<ProgressiveDistillation.Config> progressive() {
        return Recipe.fixed(ProgressiveDistillation.Config.defaults(), (s, c, n) -> new ProgressiveDistillation(s, c, n))
                .integer("n0", "sampling steps of the first round's teacher, halved each round down to 1",
                        Knob.Domain.powersOfTwo(), ProgressiveDistillation.Config::startSteps,
                        ProgressiveDistillation.Config::withStartSteps)
                .real("lr", "Adam learning rate", Knob.Domain.above(0), ProgressiveDistillation.Config::learningRate,
                        ProgressiveDistillation.Config::withLearningRate);
    }

    private static Recipe<GuidedDistillation.Config> guided() {
        // the class count comes from the setup's student; it is no knob, so 1 stands in for stating defaults
        return Recipe.<GuidedDistillation.Config>sized((s, batch, n) -> GuidedDistillation.Config.defaults(s == null ? 1 : classes(s)),
                        (s, c, n) -> new GuidedDistillation(s, c, n))
                .real("w", "guidance weight w of the sampled student", Knob.Domain.atLeast(0),
                        GuidedDistillation.Config::sampleW, GuidedDistillation.Config::withSampleW)
                .real("w-max", "largest guidance weight the student is trained on (w ~ U(w-min, w-max))", Knob.Domain.atLeast(0),
                        GuidedDistillation.Config::wMax, (c, w) -> new GuidedDistillation.Config(c.classes(), c.wMin(), w,
                                c.sampleW(), c.startSteps(), c.prediction(), c.weighting(), c.learningRate(), c.stageOneShare(),
                                c.fromTeacher()))
                .integer("n0", "sampling steps of the first progressive round, halved each round down to 1",
                        Knob.Domain.powersOfTwo(), GuidedDistillation.Config::startSteps, GuidedDistillation.Config::withStartSteps)
                .real("lr", "Adam learning rate", Knob.Domain.above(0), GuidedDistillation.Config::learningRate,
                        (c, lr) -> new GuidedDistillation.Config(c.classes(), c.wMin(), c.wMax(), c.sampleW(), c.startSteps(),
                                c.prediction(), c.weighting(), lr, c.stageOneShare(), c.fromTeacher()));
    }

    private static Recipe<ConsistencyDistillation.Config> consistencyDistillation() {
        ConsistencyDistillation.Config d = ConsistencyDistillation.Config.defaults();
        return Recipe.fixed(d, (s, c, n) -> new ConsistencyDistillation(s, c, n))
                .real("mu", "decay of the EMA target network", Knob.Domain.decay(), ConsistencyDistillation.Config::emaDecay,
                        ConsistencyDistillation.Config::withEmaDecay)
                .integer("n", "discretisation N of [sigma_min, sigma_max]", Knob.Domain.atLeast(2),
                        ConsistencyDistillation.Config::n, ConsistencyDistillation.Config::withN)
                .real("sigma-max", "largest noise level sigma_max", Knob.Domain.above(d.edm().sigmaMin()),
                        c -> c.edm().sigmaMax(), (c, v) -> c.withEdm(new EdmConfig(c.edm().sigmaMin(), v, c.edm().sigmaData(),
                                c.edm().rho())))
                .real("lr", "Adam learning rate", Knob.Domain.above(0), ConsistencyDistillation.Config::learningRate,
                        ConsistencyDistillation.Config::withLearningRate)
                .real("decay", "final share of the run over which the learning rate decays to 0", Knob.Domain.share(),
                        ConsistencyDistillation.Config::decayShare, ConsistencyDistillation.Config::withDecayShare);
    }

    private static Recipe<ConsistencyTraining.Config> consistencyTraining() {
        return Recipe.fixed(ConsistencyTraining.Config.withEstimatedScore(), (s, c, n) -> new ConsistencyTraining(s, c, n))
                .real("mu0", "EMA decay of the target at the curriculum's start (with s0 = s1: throughout)", Knob.Domain.decay(),
                        ConsistencyTraining.Config::mu0, ConsistencyTraining.Config::withTargetDecay)
                .integer("s0", "discretisation N at the curriculum's start", Knob.Domain.atLeast(1),
                        ConsistencyTraining.Config::s0, (c, s0) -> c.withCurriculum(s0, c.s1()))
                .integer("s1", "discretisation N at the curriculum's end", Knob.Domain.atLeast(1),
                        ConsistencyTraining.Config::s1, (c, s1) -> c.withCurriculum(c.s0(), s1))
                .real("lr", "Adam learning rate", Knob.Domain.above(0), ConsistencyTraining.Config::learningRate,
                        ConsistencyTraining.Config::withLearningRate)
                .integer("reference-data", "data samples R beside the batch behind the target's score estimate"
                                + " (0: the paper's single sample)", Knob.Domain.atLeast(0),
                        ConsistencyTraining.Config::referenceData, ConsistencyTraining.Config::withReferenceData)
                .real("decay", "final share of the run over which the learning rate decays to 0", Knob.Domain.share(),
                        ConsistencyTraining.Config::decayShare, ConsistencyTraining.Config::withDecayShare);
    }

    private static Recipe<ConsistencyTrajectoryModel.Config> consistencyTrajectoryModel() {
        return Recipe.fixed(ConsistencyTrajectoryModel.Config.defaults(), (s, c, n) -> new ConsistencyTrajectoryModel(s, c, n))
                .real("mu", "decay of the EMA target network", Knob.Domain.decay(), ConsistencyTrajectoryModel.Config::emaDecay,
                        ConsistencyTrajectoryModel.Config::withEmaDecay)
                .real("dsm", "weight lambda of the denoising score matching loss", Knob.Domain.atLeast(0),
                        ConsistencyTrajectoryModel.Config::lambdaDsm, ConsistencyTrajectoryModel.Config::withLambdaDsm)
                .integer("n", "discretisation N of [sigma_min, sigma_max]", Knob.Domain.atLeast(2),
                        ConsistencyTrajectoryModel.Config::n, (c, n) -> new ConsistencyTrajectoryModel.Config(c.edm(), n,
                                c.emaDecay(), c.lambdaDsm(), c.lambdaGan(), c.distance(), c.gamma(), c.learningRate(),
                                c.prediction(), c.fromTeacher(), c.decayShare(), c.zeroEndShare()))
                .real("lr", "Adam learning rate", Knob.Domain.above(0), ConsistencyTrajectoryModel.Config::learningRate,
                        (c, lr) -> new ConsistencyTrajectoryModel.Config(c.edm(), c.n(), c.emaDecay(), c.lambdaDsm(),
                                c.lambdaGan(), c.distance(), c.gamma(), lr, c.prediction(), c.fromTeacher(), c.decayShare(),
                                c.zeroEndShare()))
                .real("decay", "final share of the run over which the learning rate decays to 0", Knob.Domain.share(),
                        ConsistencyTrajectoryModel.Config::decayShare, ConsistencyTrajectoryModel.Config::withDecayShare);
    }

    private static Recipe<RectifiedFlow.Config> rectifiedFlow() {
        return Recipe.<RectifiedFlow.Config>sized((s, batch, n) -> rectifiedFlowConfig(batch, n), (s, c, n) -> new RectifiedFlow(s, c, n))
                .real("lr", "Adam learning rate", Knob.Domain.above(0), RectifiedFlow.Config::learningRate,
                        (c, lr) -> new RectifiedFlow.Config(c.k(), c.initialCoupling(), c.pairs(), c.reflowSteps(),
                                c.teacherSteps(), c.distill(), c.distillShare(), lr, c.fromTeacher(), c.decayShare()))
                .integer("pairs", "coupling pairs per flow (sized to the run: min(" + KD_PAIRS + ", steps x batch / 4))",
                        Knob.Domain.atLeast(1), RectifiedFlow.Config::pairs, (c, p) -> c.withPairs(p, c.reflowSteps()))
                .integer("euler-steps", "Euler steps of the flow per distillation pair", Knob.Domain.atLeast(1),
                        RectifiedFlow.Config::reflowSteps, (c, k) -> c.withPairs(c.pairs(), k));
    }

    /**
     * The defaults with at most {@value #KD_PAIRS} teacher pairs, and no more than a quarter of what
     * the run draws ({@code steps x batch / 4}, so each pair is seen about four times): each pair
     * costs a 50-step teacher ODE solve, and on 2-D data 16,384 pairs already give 25 modes, HQ 0.85
     * after 3000 steps (docs/RESULTS.md), the pair solves then costing less than the training.
     */
    private static KnowledgeDistillation.Config kdConfig(int batch, int trainingSteps) {
        KnowledgeDistillation.Config d = KnowledgeDistillation.Config.defaults();
        long drawn = Math.min(KD_PAIRS, (long) trainingSteps * batch / 4);
        return drawn < d.pairs() ? d.withPairs((int) Math.max(1, drawn)) : d;
    }

    /** The most knowledge-distillation pairs a registry run draws. */
    static final int KD_PAIRS = 16_384;

    /**
     * {@link RectifiedFlow.Config#fromTeacherOde()}, with pair sets of at most {@value #KD_PAIRS} (as
     * knowledge distillation's; each teacher pair costs a 50-step ODE solve) and no larger than a
     * quarter of what the run draws, and 32 Euler steps per distillation
     * pair instead of 100: the flow trained on the teacher's coupling is nearly straight, so 32 steps
     * already integrate it well on the 2-D demo.
     */
    private static RectifiedFlow.Config rectifiedFlowConfig(int batch, int trainingSteps) {
        RectifiedFlow.Config d = RectifiedFlow.Config.fromTeacherOde();
        long drawn = Math.max(1, Math.min(KD_PAIRS, (long) trainingSteps * batch / 4));
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
