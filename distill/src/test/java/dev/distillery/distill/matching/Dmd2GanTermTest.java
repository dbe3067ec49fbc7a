package dev.distillery.distill.matching;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** DMD2's optional GAN term: it trains a discriminator and changes the generator's update. */
class Dmd2GanTermTest {

    private static Tensor afterSteps(double ganWeight, Map<String, Double>[] last) {
        var dmd2 = new DistributionMatchingDistillation(Toy25.setup(32, 32, 3L),
                DistributionMatchingDistillation.Config.dmd2().withGan(ganWeight));
        Rng rng = new Rng(9L);
        for (int i = 0; i < 3; i++) {
            last[0] = dmd2.step(rng);
        }
        return dmd2.generator().sample(Tensor.randn(DType.F32, 5L, 0L, 16, 2), 1, RngKey.of(1));
    }

    @Test
    @SuppressWarnings("unchecked")
    void ganTermTrainsADiscriminatorAndChangesTheGenerator() {
        Map<String, Double>[] with = new Map[1];
        Map<String, Double>[] without = new Map[1];
        Tensor a = afterSteps(0.5, with);
        Tensor b = afterSteps(0.0, without);
        assertTrue(with[0].containsKey("g_adv") && with[0].containsKey("d_loss"), with[0].toString());
        assertTrue(with[0].values().stream().allMatch(Double::isFinite), with[0].toString());
        assertTrue(!without[0].containsKey("g_adv"), without[0].toString());
        assertTrue(a.sub(b).abs().max().item() > 0, "the GAN term left the generator unchanged");
    }

    @Test
    void negativeWeightIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DistributionMatchingDistillation.Config.dmd2().withGan(-1));
        assertTrue(e.getMessage().contains("ganWeight"), e.getMessage());
    }
}
