package dev.distillery.distill.trajectory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.distill.Methods;
import dev.distillery.nn.models.Conditioning;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Contracts every trajectory method's result honours, on tiny students after a few steps (enough
 * to pass every stage: all progressive rounds, both reflows and the one-step distillation): the
 * generator returns {@code [B, 2]} at 1, 2 and 4 steps and is a pure function of (noise, steps,
 * key); plus the preconditions of progressive distillation.
 */
class GeneratorContractTest {
    private static final int STEPS = 12;

    private static DistillSetup tiny(Conditioning c, boolean conditionalTeacher) {
        return ToyBench.setup(conditionalTeacher ? ToyBench.conditionalTeacher() : ToyBench.teacher(),
                ToyBench.student(16, c, 1), 16);
    }

    private static List<Distiller> all() {
        return List.of(
                new KnowledgeDistillation(tiny(Conditioning.none(), false),
                        KnowledgeDistillation.Config.defaults().withPairs(64).withSolver(TeacherOde.Solver.HEUN, 8), STEPS),
                new ProgressiveDistillation(tiny(Conditioning.none(), false),
                        ProgressiveDistillation.Config.defaults().withStartSteps(4), STEPS),
                new GuidedDistillation(tiny(Conditioning.none().withClasses(25).withGuidanceScale(), true),
                        GuidedDistillation.Config.defaults(25).withStartSteps(4), STEPS),
                new ConsistencyDistillation(tiny(Conditioning.none(), false),
                        ConsistencyDistillation.Config.defaults().withEdm(ToyBench.TOY_EDM), STEPS),
                new ConsistencyTraining(tiny(Conditioning.none(), false),
                        ConsistencyTraining.Config.defaults().withEdm(ToyBench.TOY_EDM), STEPS),
                new ConsistencyTrajectoryModel(tiny(Conditioning.none().withSecondTime(), false),
                        ConsistencyTrajectoryModel.Config.defaults().withEdm(ToyBench.TOY_EDM).withGamma(0.5), STEPS),
                new RectifiedFlow(tiny(Conditioning.none(), false),
                        RectifiedFlow.Config.defaults().withPairs(64, 4), STEPS));
    }

    @Test
    void generatorsReturnBatchShapedSamplesAndAreDeterministicForAFixedKey() {
        Tensor noise = Tensor.randn(DType.F32, 5L, 0L, 7, 2);
        for (Distiller d : all()) {
            Rng rng = new Rng(1L);
            for (int i = 0; i < STEPS; i++) {
                d.step(rng).values().forEach(v -> assertTrue(Double.isFinite(v), d.name() + " loss " + v));
            }
            Generator g = d.generator();
            for (int steps : new int[] {1, 2, 4}) {
                Tensor a = g.sample(noise, steps, RngKey.of(3L));
                Tensor b = g.sample(noise, steps, RngKey.of(3L));
                assertArrayEquals(new int[] {7, 2}, a.shape().dims(), d.name() + " at " + steps + " steps");
                assertArrayEquals(a.toFloatArray(), b.toFloatArray(), d.name() + " at " + steps + " steps, same key");
                for (float v : a.toFloatArray()) {
                    assertTrue(Float.isFinite(v), d.name() + " at " + steps + " steps gave " + v);
                }
            }
        }
    }

    @Test
    void ctmWithGammaZeroIgnoresTheKey() {
        var ctm = new ConsistencyTrajectoryModel(tiny(Conditioning.none().withSecondTime(), false),
                ConsistencyTrajectoryModel.Config.defaults().withEdm(ToyBench.TOY_EDM), 1);
        ctm.step(new Rng(2L));
        Tensor noise = Tensor.randn(DType.F32, 6L, 0L, 5, 2);
        assertArrayEquals(ctm.generator().sample(noise, 4, RngKey.of(1L)).toFloatArray(),
                ctm.generator().sample(noise, 4, RngKey.of(2L)).toFloatArray());
    }

    @Test
    void progressiveRejectsEpsPrediction() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ProgressiveDistillation(
                tiny(Conditioning.none(), false),
                ProgressiveDistillation.Config.defaults().withPrediction(Prediction.EPS), 10));
        assertTrue(e.getMessage().contains("eps-prediction cannot produce x"), e.getMessage());
    }

    @Test
    void progressiveRejectsASchedulesWithNonzeroTerminalAlpha() {
        NoiseSchedule almost = new NoiseSchedule() {
            @Override
            public double alpha(double t) {
                return Math.cos(0.49 * Math.PI * t);
            }

            @Override
            public double sigma(double t) {
                return Math.sin(0.49 * Math.PI * t);
            }

            @Override
            public double logSnr(double t) {
                return 2 * Math.log(alpha(t) / sigma(t));
            }
        };
        var teacher = new dev.distillery.diffusion.mixture.GaussianMixtureDenoiser(ToyBench.MIXTURE, almost);
        var e = assertThrows(IllegalArgumentException.class, () -> new ProgressiveDistillation(
                ToyBench.setup(teacher, ToyBench.student(16, Conditioning.none(), 1), 8),
                ProgressiveDistillation.Config.defaults(), 10));
        assertTrue(e.getMessage().contains("alpha(1) = 0"), e.getMessage());
    }

    @Test
    void progressiveHalvesDownToOneStep() {
        var pd = new ProgressiveDistillation(tiny(Conditioning.none(), false),
                ProgressiveDistillation.Config.defaults().withStartSteps(8), 8);
        Rng rng = new Rng(4L);
        int[] seen = new int[8];
        for (int i = 0; i < 8; i++) {
            seen[i] = pd.studentSteps();
            pd.step(rng);
        }
        assertArrayEquals(new int[] {8, 8, 4, 4, 2, 2, 1, 1}, seen);
    }

    @Test
    void everyTrajectoryMethodIsRegistered() {
        for (String name : List.of("kd", "progressive", "guided", "cd", "ct", "ctm", "rectified-flow")) {
            assertTrue(Methods.byName(name).isPresent(), name);
        }
        assertEquals(7, Methods.names().stream().filter(n -> List.of("kd", "progressive", "guided", "cd", "ct",
                "ctm", "rectified-flow").contains(n)).count());
    }
}
