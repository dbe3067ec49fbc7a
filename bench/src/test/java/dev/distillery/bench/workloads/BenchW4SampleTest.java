package dev.distillery.bench.workloads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Backends;
import dev.distillery.autograd.simd.SimdBackend;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.MlpDenoiser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** W4's structure: which samplers, how many network evaluations each, how much of each is timed. Never a timing. */
class BenchW4SampleTest {

    @Test
    void studentTimesAreFewStepSamplersTimesOnTheIntegerSteps() {
        assertArrayEquals(new int[] {999}, W4Sample.studentTimes(1));
        assertArrayEquals(new int[] {999, 499}, W4Sample.studentTimes(2));
        assertArrayEquals(new int[] {999, 749, 499, 249}, W4Sample.studentTimes(4));
    }

    @Test
    void everySamplerIsTimedOnItsFirstMaxEvalsStepsAndScaledToAWholeRun() {
        List<W4Sample.Result> rs = W4Sample.run(1, new W4Sample.Plan(2, 0.0, 1, 0.0));
        assertEquals(W4Sample.SAMPLERS, rs.stream().map(W4Sample.Result::variant).toList());
        assertEquals(List.of(1000, 50, 4, 2, 1), rs.stream().map(W4Sample.Result::evals).toList());
        assertEquals(List.of(2, 2, 2, 2, 1), rs.stream().map(W4Sample.Result::timedEvals).toList());
        for (W4Sample.Result r : rs) {
            assertEquals(1, r.ms().length, r.variant());
            double sps = r.samplesPerSecond();
            assertTrue(sps > 0 && Double.isFinite(sps), r.variant() + ": " + sps);
            // the shortest run's ms, scaled by evals / timed, is the time of a whole run of 10,000 points
            assertEquals(W4Sample.N / (r.ms()[0] * r.evals() / r.timedEvals() / 1e3), sps, 1e-9 * sps);
            assertTrue(r.json().contains("\"unit\":\"samples/s\""), r.json());
        }
    }

    @Test
    void aPrefixOfARunIsTheWholeRunsFirstSteps() {
        double[][] sch = Measure.schedule();
        try (var scope = Backends.use(new SimdBackend(1)); var ng = Autograd.noGrad()) {
            MlpDenoiser net = MlpConfig.w2().build();
            // a limit at or above the sampler's evaluations runs it whole
            assertArrayEquals(W4Sample.student(net, sch[2], 4, 4).toDoubleArray(),
                    W4Sample.student(net, sch[2], 4, 50).toDoubleArray());
            assertEquals(W4Sample.N, W4Sample.sample(net, sch, "ddim50", 1).shape().dims()[0]);
        }
    }

    @Test
    void anUnknownSamplerNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> W4Sample.evals("ddim10"));
        assertTrue(e.getMessage().contains("student4"), e.getMessage());
    }
}
