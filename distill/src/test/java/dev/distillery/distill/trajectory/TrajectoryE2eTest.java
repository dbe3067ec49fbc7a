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
    }

    @Test
    void progressive() {
        var pd = new ProgressiveDistillation(plain(Conditioning.none()),
                ProgressiveDistillation.Config.defaults().withStartSteps(8), 1600);
        var m = ToyBench.report("pd", pd.generator(), ToyBench.train("pd", pd, 1600, 5));
    }

    @Test
    void consistencyDistillation() {
        var cd = new ConsistencyDistillation(plain(Conditioning.none()),
                ConsistencyDistillation.Config.defaults().withEdm(TOY_EDM));
        var m = ToyBench.report("cd", cd.generator(), ToyBench.train("cd", cd, 1200, 5));
    }

    @Test
    void consistencyTraining() {
        var ct = new ConsistencyTraining(plain(Conditioning.none()),
                ConsistencyTraining.Config.defaults().withEdm(TOY_EDM), 1200);
        var m = ToyBench.report("ct", ct.generator(), ToyBench.train("ct", ct, 1200, 5));
    }

    @Test
    void ctm() {
        var ctm = new ConsistencyTrajectoryModel(plain(new Conditioning(true, 0, false, 16.0)),
                ConsistencyTrajectoryModel.Config.defaults().withEdm(TOY_EDM).withEmaDecay(0.99));
        var m = ToyBench.report("ctm", ctm.generator(), ToyBench.train("ctm", ctm, 1000, 5));
    }

    @Test
    void rectifiedFlow() {
        var rf = new RectifiedFlow(plain(Conditioning.none()), RectifiedFlow.Config.defaults().withPairs(8192, 50), 1500);
        double s = ToyBench.train("rf", rf, 1500, 5);
        var m = ToyBench.report("rf", rf.generator(), s);
        System.out.println("rf straightness (16 Euler steps): " + rf.straightness(ToyBench.EVAL_NOISE, 16));
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
        for (int steps : new int[] {1, 2, 4}) {
            Tensor out = g.sample(ToyBench.EVAL_NOISE, steps, key);
            Tensor base = TeacherOde.endpoint(cfg, ToyBench.EVAL_NOISE, TeacherOde.Solver.DDIM, steps, c);
            System.out.printf(Locale.ROOT, "gd %d step(s), nfe %d: %s rms-to-cfg-ode %.3f | teacher CFG DDIM-%d (nfe %d): %s rms %.3f%n",
                    steps, steps, ToyBench.metrics(out), rms(out, ref), steps, 2 * steps, ToyBench.metrics(base),
                    rms(base, ref));
        }
        System.out.printf(Locale.ROOT, "gd trained in %.1f s%n", secs);
    }

    static double rms(Tensor a, Tensor b) {
        return Math.sqrt(a.sub(b).square().sum().item() / a.dim(0));
    }
}
