package dev.distillery.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.autograd.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Grids, time pairs and x_0 processing of the diffusers-compatible samplers by hand, with each
 * argument check observed at its boundary (the invalid value rejected, the valid neighbour accepted).
 */
@ExtendWith(ScalarBackendExtension.class)
class SamplerGridKnownAnswerTest {

    /**
     * diffusers' LCMScheduler with T = 1000, original_inference_steps = 50, 4 steps: c = 20, indices
     * floor(i * 12.5) = 0, 12, 25, 37, k = (50 - index) 20 - 1 = 999, 759, 499, 259, our steps k + 1.
     */
    @Test
    void lcmStepsByHandAndTheirBounds() {
        assertArrayEquals(new int[] {1000, 760, 500, 260}, LcmSampler.steps(1000, 50, 4));
        assertArrayEquals(new int[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, LcmSampler.steps(10, 10, 10));
        assertArrayEquals(new int[] {10}, LcmSampler.steps(10, 1, 1));
        for (int[] bad : new int[][] {{10, 0, 1}, {10, 11, 1}, {10, 5, 0}, {10, 5, 6}}) {
            assertThrows(IllegalArgumentException.class, () -> LcmSampler.steps(bad[0], bad[1], bad[2]),
                    java.util.Arrays.toString(bad));
        }
    }

    /**
     * DDIM time pairs: diffusers' with T = 10 and steps (6, 1), stride 5: from step 6 to diffusers k = 0
     * (our step 1, time 0.1; k = 0 is not below 0), from step 1 below 0 to time 0 or 1/T. Ending at the
     * first step: (6, 3) to (3, 1), divided by T.
     */
    @Test
    void ddimTimePairsByHand() {
        DdimTimes one = DdimTimes.diffusers(new int[] {6, 1}, 10, true);
        assertArrayEquals(new double[] {0.6, 0.1}, one.from(), 0.0);
        assertArrayEquals(new double[] {0.1, 0.0}, one.to(), 0.0);
        assertArrayEquals(new double[] {0.1, 0.1}, DdimTimes.diffusers(new int[] {6, 1}, 10, false).to(), 0.0);
        DdimTimes first = DdimTimes.endingAtFirstStep(new int[] {6, 3}, 10);
        assertArrayEquals(new double[] {0.6, 0.3}, first.from(), 0.0);
        assertArrayEquals(new double[] {0.3, 0.1}, first.to(), 0.0);
    }

    @Test
    void ddimTimesRejectEmptyUnequalAndReversedPairs() {
        double[][][] bad = {{{}, {}}, {{0.5}, {0.1, 0.0}}, {{0.0}, {0.0}}, {{0.5}, {-0.1}}, {{0.5}, {0.6}}};
        for (double[][] b : bad) {
            assertThrows(IllegalArgumentException.class, () -> new DdimTimes(b[0], b[1]),
                    java.util.Arrays.deepToString(b));
        }
        assertDoesNotThrow(() -> new DdimTimes(new double[] {0.5}, new double[] {0.5}), "to = from");
        assertDoesNotThrow(() -> new DdimTimes(new double[] {0.5}, new double[] {0.0}), "to = 0");
    }

    /**
     * Dynamic thresholding (Imagen, section 2.3) at ratio 1 (the maximum of |x|, the quantile's last
     * order statistic) and ratio 0.5 (the median, interpolated): row (0.5, -3, 2) has s = 3, row
     * (1.5, 0.25, -4, 2) has median |x| = (1.5 + 2)/2 = 1.75 at ratio 0.5.
     */
    @Test
    void dynamicThresholdByHand() {
        Tensor x = Tensor.of(new double[] {0.5, -3.0, 2.0}, 1, 3);
        assertArrayEquals(new double[] {0.5 / 3, -1.0, 2.0 / 3}, X0Clipping.dynamicThreshold(1.0, 10.0).apply(x).toDoubleArray(),
                1e-15);
        Tensor y = Tensor.of(new double[] {1.5, 0.25, -4.0, 2.0}, 1, 4);
        assertArrayEquals(new double[] {1.5 / 1.75, 0.25 / 1.75, -1.0, 1.0},
                X0Clipping.dynamicThreshold(0.5, 10.0).apply(y).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {0.5, -1.5, 1.5}, X0Clipping.clip(1.5).apply(x).toDoubleArray(), 0.0);
    }

    @Test
    void clippingRejectsItsInvalidParametersAndAcceptsTheBoundaries() {
        assertThrows(IllegalArgumentException.class, () -> X0Clipping.clip(0.0));
        assertThrows(IllegalArgumentException.class, () -> X0Clipping.clip(Double.NaN));
        assertDoesNotThrow(() -> X0Clipping.clip(Double.MIN_VALUE));
        double[][] bad = {{-0.01, 2.0}, {1.01, 2.0}, {0.5, 0.99}, {Double.NaN, 2.0}, {0.5, Double.NaN}};
        for (double[] b : bad) {
            assertThrows(IllegalArgumentException.class, () -> X0Clipping.dynamicThreshold(b[0], b[1]),
                    java.util.Arrays.toString(b));
        }
        assertDoesNotThrow(() -> X0Clipping.dynamicThreshold(0.0, 1.0));
        assertDoesNotThrow(() -> X0Clipping.dynamicThreshold(1.0, 1.0));
    }

    /** DPM-Solver's grids reject n outside [1, T] like the others. */
    @Test
    void dpmSolverStepsRejectAnEmptyOrTooLongGrid() {
        for (TimestepSpacing spacing : TimestepSpacing.values()) {
            assertThrows(IllegalArgumentException.class, () -> spacing.dpmSolverSteps(10, 0, 0), spacing.name());
            assertThrows(IllegalArgumentException.class, () -> spacing.dpmSolverSteps(10, 11, 0), spacing.name());
        }
    }
}
