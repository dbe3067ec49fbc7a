package dev.distillery.distill.trajectory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.distillery.nn.Module;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.optim.Adam;
import org.junit.jupiter.api.Test;

/**
 * Known answers for the pieces the trajectory recipes add: the re-noise levels of multistep
 * consistency sampling and the learning-rate schedule that decays over the last share of a run.
 * The expected values were computed by hand from the formulas (Karras et al. 2022, eq. 5, on
 * [sigma_min, renoiseMax]; a cosine from lr to 0), not with the code under test.
 */
class RecipePartsTest {

    @Test
    void renoiseLevelsCapTheInteriorLevelsAndKeepTheEnds() {
        // 1 step: [T, eps]; 2 steps: the single interior level is renoiseMax itself
        assertArrayEquals(new double[] {80, 0.002}, Grids.renoiseLevels(1, 0.002, 80, 0.3, 7), 0.0);
        assertArrayEquals(new double[] {80, 0.3, 0.002}, Grids.renoiseLevels(2, 0.002, 80, 0.3, 7), 1e-15);
        // 4 steps: Karras levels from 0.3 down to 0.002 (rho 7), the last replaced by eps
        assertArrayEquals(new double[] {80, 0.3, 0.08113356610303915, 0.016226949339299725, 0.002},
                Grids.renoiseLevels(4, 0.002, 80, 0.3, 7), 1e-15);
        // a ceiling above the plain Karras midpoint (2.5 for 2 steps) leaves the plain levels
        assertArrayEquals(Grids.samplingLevels(2, 0.002, 80, 7, 0.002), Grids.renoiseLevels(2, 0.002, 80, 50, 7), 0.0);
        assertThrows(IllegalArgumentException.class, () -> Grids.renoiseLevels(2, 0.002, 80, 0.001, 7));
    }

    @Test
    void learningRateIsConstantThenACosineOverTheLastShare() {
        Module net = ToyBench.student(8, Conditioning.none(), 1L).build();
        Adam opt = StudentOptimizers.adam(net, 1e-3, 0.3, 1000);
        // constant for the first 700 steps, half way down the cosine at 850, 0 at the end
        assertEquals(1e-3, opt.schedule().at(0), 0.0);
        assertEquals(1e-3, opt.schedule().at(699), 0.0);
        assertEquals(1e-3, opt.schedule().at(700), 1e-18);
        assertEquals(0.5e-3, opt.schedule().at(850), 1e-15);
        assertEquals(2.741531724392843e-08, opt.schedule().at(999), 1e-18);
        assertEquals(0.0, opt.schedule().at(1000), 1e-18);
        // no decay share: constant
        assertEquals(1e-3, StudentOptimizers.adam(net, 1e-3, 0, 1000).schedule().at(999), 0.0);
        assertThrows(IllegalArgumentException.class, () -> StudentOptimizers.adam(net, 1e-3, 1.5, 1000));
    }
}
