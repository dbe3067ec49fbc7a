package dev.distillery.distill.trajectory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.nn.models.Conditioning;

import org.junit.jupiter.api.Test;

class TrajectoryE2eTest {

    @Test
    void knowledgeDistillation() {
        var setup = ToyBench.setup(ToyBench.teacher(), ToyBench.student(128, Conditioning.none(), 3), 256);
        var kd = new KnowledgeDistillation(setup, KnowledgeDistillation.Config.defaults().withPairs(8192));
        double s = ToyBench.train("kd", kd, 1500, 5);
        var m = ToyBench.report("kd", kd.generator(), s);
        assertTrue(m[0].modes() >= 0);
    }

    @Test
    void progressive() {
        var setup = ToyBench.setup(ToyBench.teacher(), ToyBench.student(128, Conditioning.none(), 3), 256);
        var pd = new ProgressiveDistillation(setup, ProgressiveDistillation.Config.defaults().withStartSteps(16), 2500);
        double s = ToyBench.train("pd", pd, 2500, 5);
        var m = ToyBench.report("pd", pd.generator(), s);
        assertTrue(m[0].modes() >= 0);
    }
}
