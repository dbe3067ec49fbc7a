package dev.distillery.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.data.Toy2d;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.process.ModelVariance;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import dev.distillery.diffusion.schedule.DiscreteSchedules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spacings as in diffusers, determinism given a key, progress and trajectory recording. */
class SamplerBehaviourTest {

    @Test
    void timestepSpacingsMatchDiffusers() {
        // diffusers, T = 1000, 10 steps (0-based): leading 900..0, trailing 999..99, linspace round(linspace(0, 999, 10)).
        assertArrayEquals(new int[] {901, 801, 701, 601, 501, 401, 301, 201, 101, 1}, TimestepSpacing.LEADING.steps(1000, 10));
        assertArrayEquals(new int[] {1000, 900, 800, 700, 600, 500, 400, 300, 200, 100}, TimestepSpacing.TRAILING.steps(1000, 10));
        assertArrayEquals(new int[] {1000, 889, 778, 667, 556, 445, 334, 223, 112, 1}, TimestepSpacing.LINSPACE.steps(1000, 10));
        double[] t = TimestepSpacing.TRAILING.times(1000, 10);
        assertEquals(11, t.length);
        assertEquals(1.0, t[0]);
        assertEquals(0.0, t[10]);
    }

    @Test
    void ancestralSamplersAreDeterministicGivenAKeyAndReportProgress() {
        try (var s = Backends.use(Backends.scalar())) {
            DiscreteSchedule sch = DiscreteSchedules.linear(50);
            var d = new GaussianMixtureDenoiser(GaussianMixture.of(Toy2d.gaussians8Spec()), sch.asContinuous());
            Tensor xT = Tensor.randn(DType.F64, 3L, 0L, 16, 2);
            int[] calls = {0};
            List<Tensor> traj = new ArrayList<>();
            double[] a = DdpmSampler.sample(d, sch, xT, Condition.NONE, ModelVariance.BETA, RngKey.of(9), (i, n) -> calls[0]++, traj)
                    .toDoubleArray();
            double[] b = DdpmSampler.sample(d, sch, xT, Condition.NONE, ModelVariance.BETA, RngKey.of(9), null, null).toDoubleArray();
            double[] c = DdpmSampler.sample(d, sch, xT, Condition.NONE, ModelVariance.BETA, RngKey.of(10), null, null).toDoubleArray();
            assertArrayEquals(a, b);
            assertFalse(java.util.Arrays.equals(a, c));
            assertEquals(50, calls[0]);
            assertEquals(51, traj.size());
            double[] times = TimestepSpacing.LINSPACE.times(50, 10);
            double[] e1 = DdimSampler.sample(d, xT, times, 1.0, Condition.NONE, RngKey.of(4), null, null).toDoubleArray();
            double[] e2 = DdimSampler.sample(d, xT, times, 1.0, Condition.NONE, RngKey.of(4), null, null).toDoubleArray();
            assertArrayEquals(e1, e2);
        }
    }
}
