package dev.distillery.distill.trajectory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.guidance.ClassifierFreeGuidance;
import dev.distillery.diffusion.schedule.EdmConfig;
import dev.distillery.nn.models.Conditioning;

import java.util.Locale;

import org.junit.jupiter.api.Test;

/**
 * End-to-end distillation of the analytic 25-Gaussians teacher ({@link ToyBench}) with CI-sized
 * budgets (1,000-1,600 Adam steps at batch 256, width-128 MLP students; 10-55 s each on 2 shared
 * cores). The bounds are about 1.5-2x the values observed with these seeds, and each is compared
 * with the teacher's own DDIM at the same number of network evaluations (NFE), which on this
 * teacher is poor below 4 steps (DDIM-1 returns the data mean: sliced W2 2.86, RMS to the ODE
 * endpoints 3.9; DDIM-2: 1.92 / 2.65; DDIM-4: 1.05 / 1.71). Mode coverage (3 std = 0.15 around
 * each mode) is not asserted: students of this size and budget blur the discontinuous one-step
 * map, so they place most samples between 0.15 and 0.5 from a mode (high-quality fraction 0.01-0.2).
 * Observed values: see the report printed by each test and the class notes of the methods.
 */
class TrajectoryE2eTest {
    static final EdmConfig TOY_EDM = new EdmConfig(0.002, 80.0, 2.83, 7.0);

    private static dev.distillery.distill.DistillSetup plain(Conditioning c) {
        return ToyBench.setup(ToyBench.teacher(), ToyBench.student(128, c, 3), 256);
    }

    @Test
    void knowledgeDistillation() {
        var kd = new KnowledgeDistillation(plain(Conditioning.none()),
                KnowledgeDistillation.Config.defaults().withPairs(8192));
        var m = ToyBench.report("kd", kd.generator(), ToyBench.train("kd", kd, 1200, 5));
        // observed: RMS to the ODE endpoints 0.70, sliced W2 0.32 (teacher DDIM-1: 3.9, 2.86)
        assertTrue(m[0].rmsToTeacher() < 1.2 && m[0].sw2() < 0.6, "kd 1 step " + m[0]);
    }

    @Test
    void progressive() {
        var pd = new ProgressiveDistillation(plain(Conditioning.none()),
                ProgressiveDistillation.Config.defaults().withStartSteps(8), 1600);
        var m = ToyBench.report("pd", pd.generator(), ToyBench.train("pd", pd, 1600, 5));
        // observed: RMS to the ODE endpoints 0.79 at 1, 2 and 4 steps; beats the teacher's DDIM at every NFE
        for (int i = 0; i < 3; i++) {
            assertTrue(m[i].rmsToTeacher() < 1.2, "pd " + (1 << i) + " steps " + m[i]);
            assertTrue(m[i].rmsToTeacher() < ToyBench.teacherDdim(1 << i).rmsToTeacher(), "pd vs teacher " + m[i]);
        }
    }

    @Test
    void consistencyDistillation() {
        var cd = new ConsistencyDistillation(plain(Conditioning.none()),
                ConsistencyDistillation.Config.defaults().withEdm(TOY_EDM));
        var m = ToyBench.report("cd", cd.generator(), ToyBench.train("cd", cd, 1200, 5));
        // observed sliced W2 0.30 / 0.69 / 0.68 at 1 / 2 / 4 steps (multistep re-noises, so it leaves the ODE
        // coupling: RMS to the endpoints is not a target there)
        assertTrue(m[0].rmsToTeacher() < 1.5, "cd 1 step " + m[0]);
        for (int i = 0; i < 3; i++) {
            assertTrue(m[i].sw2() < 0.9 && m[i].sw2() < ToyBench.teacherDdim(1 << i).sw2(), "cd " + (1 << i) + " " + m[i]);
        }
    }

    @Test
    void consistencyTraining() {
        var ct = new ConsistencyTraining(plain(Conditioning.none()),
                ConsistencyTraining.Config.defaults().withEdm(TOY_EDM).withCurriculum(2, 20), 1200);
        var m = ToyBench.report("ct", ct.generator(), ToyBench.train("ct", ct, 1200, 5));
        // observed sliced W2 0.53 / 0.39 / 0.37 with the final discretization N = 20 suited to 1,200 steps;
        // the paper's N = 150 (meant for 800k iterations) left the fresh student at the data mean
        // (2.79 / 2.33 / 2.30), a fixed example of the curriculum mattering
        for (int i = 0; i < 3; i++) {
            assertTrue(m[i].sw2() < 0.9 && m[i].sw2() < ToyBench.teacherDdim(1 << i).sw2(), "ct " + (1 << i) + " " + m[i]);
        }
    }

    @Test
    void ctm() {
        var ctm = new ConsistencyTrajectoryModel(plain(new Conditioning(true, 0, false, 16.0)),
                ConsistencyTrajectoryModel.Config.defaults().withEdm(TOY_EDM).withEmaDecay(0.99));
        var m = ToyBench.report("ctm", ctm.generator(), ToyBench.train("ctm", ctm, 1000, 5));
        // observed (gamma = 0): RMS to the ODE endpoints 0.74 at 1 step; sliced W2 0.31 / 0.70 / 0.46
        assertTrue(m[0].rmsToTeacher() < 1.2, "ctm 1 step " + m[0]);
        for (int i = 0; i < 3; i++) {
            assertTrue(m[i].sw2() < 1.0 && m[i].sw2() < ToyBench.teacherDdim(1 << i).sw2(), "ctm " + (1 << i) + " " + m[i]);
        }
    }

    @Test
    void rectifiedFlow() {
        var rf = new RectifiedFlow(plain(Conditioning.none()), RectifiedFlow.Config.defaults().withPairs(8192, 50), 1500);
        double s = ToyBench.train("rf", rf, 1500, 5);
        var m = ToyBench.report("rf", rf.generator(), s);
        double straightness = rf.straightness(ToyBench.EVAL_NOISE, 16);
        System.out.println("rf straightness (16 Euler steps): " + straightness);
        // observed: RMS to the teacher's ODE endpoints 0.80 at 1, 2, 4 steps; straightness of the 2-rectified flow 1e-3
        for (int i = 0; i < 3; i++) {
            assertTrue(m[i].rmsToTeacher() < 1.2 && m[i].sw2() < 0.8, "rf " + (1 << i) + " steps " + m[i]);
        }
        assertTrue(straightness < 0.05, "straightness " + straightness);
    }

    @Test
    void guided() {
        var setup = ToyBench.setup(ToyBench.conditionalTeacher(),
                ToyBench.student(128, Conditioning.none().withClasses(25).withGuidanceScale(), 3), 256);
        var gd = new GuidedDistillation(setup, GuidedDistillation.Config.defaults(25).withStartSteps(4), 1500);
        double secs = ToyBench.train("gd", gd, 1500, 5);
        RngKey key = RngKey.of(99L);
        int[] labels = new int[ToyBench.EVAL];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 25;
        }
        var cfg = new ClassifierFreeGuidance(ToyBench.conditionalTeacher(), 1.0, -1);
        Condition c = Condition.labels(labels);
        Tensor ref = TeacherOde.endpoint(cfg, ToyBench.EVAL_NOISE, TeacherOde.Solver.DDIM, 256, c);
        var g = gd.generator(1.0, labels);
        double[] student = new double[3];
        double[] teacherRms = new double[3];
        int j = 0;
        for (int steps : new int[] {1, 2, 4}) {
            Tensor out = g.sample(ToyBench.EVAL_NOISE, steps, key);
            Tensor base = TeacherOde.endpoint(cfg, ToyBench.EVAL_NOISE, TeacherOde.Solver.DDIM, steps, c);
            System.out.printf(Locale.ROOT, "gd %d step(s), nfe %d: %s rms-to-cfg-ode %.3f | teacher CFG DDIM-%d (nfe %d): %s rms %.3f%n",
                    steps, steps, ToyBench.metrics(out), rms(out, ref), steps, 2 * steps, ToyBench.metrics(base),
                    rms(base, ref));
            student[j] = rms(out, ref);
            teacherRms[j++] = rms(base, ref);
        }
        // observed: RMS to the guided teacher's ODE endpoints 0.32 at 1, 2 and 4 steps (one NFE per step); the
        // teacher's CFG DDIM needs 2 NFE per step: 3.95 (1 step, NFE 2), 1.58 (2 steps, NFE 4), 0.05 (4 steps, NFE 8)
        assertTrue(student[0] < 0.6 && student[1] < 0.6, "gd " + java.util.Arrays.toString(student));
        assertTrue(student[1] < teacherRms[0] && student[2] < teacherRms[1], "gd vs CFG DDIM at equal NFE");
        System.out.printf(Locale.ROOT, "gd trained in %.1f s%n", secs);
    }

    static double rms(Tensor a, Tensor b) {
        return Math.sqrt(a.sub(b).square().sum().item() / a.dim(0));
    }
}
