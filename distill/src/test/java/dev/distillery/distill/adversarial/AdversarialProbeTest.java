package dev.distillery.distill.adversarial;

import dev.distillery.distill.matching.Toy25;
import org.junit.jupiter.api.Test;

class AdversarialProbeTest {
    @Test
    void add() {
        Toy25.probe(s -> new AdversarialDiffusionDistillation(s, AdversarialDiffusionDistillation.Config.defaults()), 128, 128, 600);
    }

    @Test
    void everyStep() {
        Toy25.probe(s -> new AdversarialEveryStep(s, AdversarialEveryStep.Config.defaults()), 128, 128, 600);
    }

    @Test
    void ddgan() {
        Toy25.train(new DenoisingDiffusionGan(Toy25.setup(128, 128, 7L), DenoisingDiffusionGan.Config.defaults()), 600, 11L, 4);
    }
}
