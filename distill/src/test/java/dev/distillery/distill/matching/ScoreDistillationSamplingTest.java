package dev.distillery.distill.matching;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScoreDistillationSamplingTest {
    @Test
    void sdsTrainsOnTheAnalyticTeacher() {
        Toy25.Run run = Toy25.probe(s -> new ScoreDistillationSampling(s, ScoreDistillationSampling.Config.defaults()),
                256, 128, 600);
        assertTrue(run.at(1).hq() > 0.0);
    }
}
