package dev.distillery.distill.trajectory;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.nn.models.Conditioning;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** CTM's optional GAN term: it trains a discriminator and changes the student's update. */
class CtmGanTermTest {
    private static final Conditioning SECOND_TIME = new Conditioning(true, 0, false, 16.0);

    private static ConsistencyTrajectoryModel ctm(double lambdaGan) {
        return new ConsistencyTrajectoryModel(ToyBench.setup(ToyBench.teacher(), ToyBench.student(32, SECOND_TIME, 3), 32),
                ConsistencyTrajectoryModel.Config.defaults().withEdm(ToyBench.TOY_EDM).withLambdaGan(lambdaGan)
                        .withDecayShare(0));
    }

    private static Tensor sampleAfterSteps(ConsistencyTrajectoryModel m, int steps, Map<String, Double>[] last) {
        Rng rng = new Rng(11L);
        for (int i = 0; i < steps; i++) {
            last[0] = m.step(rng);
        }
        return m.generator().sample(Tensor.randn(dev.distillery.autograd.DType.F32, 5L, 0L, 16, 2), 1, RngKey.of(1));
    }

    @Test
    @SuppressWarnings("unchecked")
    void ganTermTrainsADiscriminatorAndChangesTheStudent() {
        Map<String, Double>[] withGan = new Map[1];
        Map<String, Double>[] without = new Map[1];
        Tensor a = sampleAfterSteps(ctm(0.5), 3, withGan);
        Tensor b = sampleAfterSteps(ctm(0.0), 3, without);
        assertTrue(withGan[0].containsKey("g_adv") && withGan[0].containsKey("d_loss"), withGan[0].toString());
        assertTrue(withGan[0].values().stream().allMatch(Double::isFinite), withGan[0].toString());
        assertTrue(!without[0].containsKey("g_adv"), without[0].toString());
        // same seeds and data: only the GAN term differs, and it must move the student
        assertTrue(a.sub(b).abs().max().item() > 0, "the GAN term left the student unchanged");
    }

    @Test
    void negativeWeightIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ctm(-1.0));
        assertTrue(e.getMessage().contains("lambdaGan"), e.getMessage());
    }
}
