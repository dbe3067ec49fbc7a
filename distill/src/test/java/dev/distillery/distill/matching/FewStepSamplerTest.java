package dev.distillery.distill.matching;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.distill.Student;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.models.MlpConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The few-step sampler's times {@code tau_i = T (1 - i/n)} and that sampling reads them, at T = 1 and earlier. */
class FewStepSamplerTest {

    private static Student student() {
        MlpConfig c = new MlpConfig(2, 16, 2, 16, 1000.0, Conditioning.none(), false, DType.F64, 3L, 0, 1.0);
        return new Student(c.build(), Prediction.X0, ContinuousCosine.INSTANCE);
    }

    @Test
    void timesAreAnEvenGridBelowTheStartTime() {
        assertArrayEquals(new double[] {1.0, 0.75, 0.5, 0.25}, FewStepSampler.times(4), 0.0);
        // T = 0.7: 0.7, 0.525, 0.35, 0.175 (an interior T pins the product, not only T = 1)
        assertArrayEquals(new double[] {0.7, 0.7 * 0.75, 0.35, 0.7 * 0.25}, FewStepSampler.times(4, 0.7), 1e-16);
        assertArrayEquals(new double[] {0.8, 0.4}, FewStepSampler.times(2, 0.8), 1e-16);
        FewStepSampler s = new FewStepSampler(student(), ContinuousCosine.INSTANCE, 0.6);
        assertArrayEquals(FewStepSampler.times(3, 0.6), s.studentTimes(3), 0.0);
        assertEquals(1.0, new FewStepSampler(student(), ContinuousCosine.INSTANCE).startTime());
    }

    @Test
    void oneStepReadsTheNoiseAtTheStartTime() {
        Student st = student();
        Tensor z = Tensor.randn(DType.F64, 11L, 0L, 64, 2);
        Tensor got = new FewStepSampler(st, ContinuousCosine.INSTANCE, 0.7).sample(z, 1, RngKey.of(5));
        assertArrayEquals(st.x0(z, 0.7).toDoubleArray(), got.toDoubleArray(), 0.0);
        double[] atOne = new FewStepSampler(st, ContinuousCosine.INSTANCE).sample(z, 1, RngKey.of(5)).toDoubleArray();
        double gap = 0;
        for (int i = 0; i < atOne.length; i++) {
            gap = Math.max(gap, Math.abs(atOne[i] - got.toDoubleArray()[i]));
        }
        assertTrue(gap > 1e-6, "the start time must reach the network, gap " + gap);
    }

    @Test
    void twoStepsRenoiseToHalfTheStartTime() {
        Student st = student();
        FewStepSampler s = new FewStepSampler(st, ContinuousCosine.INSTANCE, 0.8);
        Tensor z = Tensor.randn(DType.F64, 12L, 0L, 32, 2);
        Tensor got = s.sample(z, 2, RngKey.of(7));
        Rng rng = new Rng(RngKey.of(7));
        Tensor want = st.x0(s.renoise(st.x0(z, 0.8), 0.4, rng), 0.4);
        assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), 0.0);
        // backward simulation hands step 1 the same input the sampler gives it
        Tensor input = s.simulate(z, 1, 2, new Rng(RngKey.of(7)));
        assertArrayEquals(s.renoise(st.x0(z, 0.8), 0.4, new Rng(RngKey.of(7))).toDoubleArray(), input.toDoubleArray(), 0.0);
    }

    @Test
    void startTimeOutsideTheDiffusionIsRefusedWithTheRange() {
        for (double bad : new double[] {0.0, -0.1, 1.2, Double.NaN}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new FewStepSampler(student(), ContinuousCosine.INSTANCE, bad));
            assertTrue(e.getMessage().contains("(0, 1]"), e.getMessage());
        }
    }
}
