package dev.distillery.distill.matching;

import org.junit.jupiter.api.Test;

class DistributionMatchingDistillationTest {
    @Test
    void dmdTrains() {
        Toy25.probe(s -> new DistributionMatchingDistillation(s, DistributionMatchingDistillation.Config.dmd()), 256, 128, 400);
    }

    @Test
    void dmd2Trains() {
        Toy25.probe(s -> new DistributionMatchingDistillation(s, DistributionMatchingDistillation.Config.dmd2()), 256, 128, 200);
    }

    @Test
    void usdTrains() {
        Toy25.probe(s -> new UnbiasedScoreDistillation(s, UnbiasedScoreDistillation.Config.defaults()), 256, 128, 400);
    }
}
