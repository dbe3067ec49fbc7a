package dev.distillery.diffusion.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.diffusion.data.Toy2d;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Known answers and sanity properties of the metrics. */
class MetricsTest {
    private static double[][] gaussian(int n, int dim, double mean, double std, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][dim];
        for (double[] row : x) {
            for (int d = 0; d < dim; d++) {
                row[d] = mean + std * r.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void modeCoverageOfTrueSamplesIsComplete() {
        double[][] x = Toy2d.gaussians25(2000, new SplittableRandom(1));
        ModeCoverage.Result r = ModeCoverage.of(x, Toy2d.gaussians25Spec());
        assertEquals(25, r.modesCovered());
        assertTrue(r.highQualityFraction() > 0.98);
        double[][] collapsed = new double[100][];
        for (int i = 0; i < 100; i++) {
            collapsed[i] = new double[] {0, 0};
        }
        assertEquals(1, ModeCoverage.of(collapsed, Toy2d.gaussians25Spec()).modesCovered());
    }

    @Test
    void mmdIsNearZeroForOneDistributionAndPositiveForTwo() {
        double[] bw = {0.1, 0.5, 1, 2};
        double same = Mmd.squared(gaussian(300, 2, 0, 1, 1), gaussian(300, 2, 0, 1, 2), bw);
        double diff = Mmd.squared(gaussian(300, 2, 0, 1, 1), gaussian(300, 2, 1, 1, 2), bw);
        assertTrue(Math.abs(same) < 0.01, "same " + same);
        assertTrue(diff > 0.05, "diff " + diff);
    }

    @Test
    void slicedWassersteinOfAShiftIn1dIsTheShift() {
        double[][] a = gaussian(500, 1, 0, 1, 3);
        double[][] b = new double[500][1];
        for (int i = 0; i < 500; i++) {
            b[i][0] = a[i][0] + 0.7;
        }
        assertEquals(0.7, SlicedWasserstein.distance(a, b, 10, 1), 1e-12);
        assertEquals(0.0, SlicedWasserstein.distance(a, a, 10, 1), 1e-12);
    }

    @Test
    void frechetDistanceMatchesTheGaussianFormula() {
        // N(0, I) vs N(m, 4 I) in D = 3: |m|^2 + D (1 + 4 - 2 * 2) = |m|^2 + 3.
        double[][] i = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        double[][] four = {{4, 0, 0}, {0, 4, 0}, {0, 0, 4}};
        assertEquals(1 + 4 + 3, FrechetDistance.of(new double[3], i, new double[] {1, 2, 0}, four), 1e-12);
        double[][] a = gaussian(2000, 3, 0, 1, 4);
        assertTrue(FrechetDistance.of(a, gaussian(2000, 3, 0, 1, 5)) < 0.02);
        assertEquals(0.0, FrechetDistance.of(a, a), 1e-9);
    }

    @Test
    void precisionAndRecallSeparateQualityFromCoverage() {
        double[][] real = gaussian(300, 2, 0, 1, 6);
        PrecisionRecall.Result same = PrecisionRecall.of(real, gaussian(300, 2, 0, 1, 7));
        assertTrue(same.precision() > 0.8 && same.recall() > 0.8, same.toString());
        PrecisionRecall.Result collapsed = PrecisionRecall.of(real, gaussian(300, 2, 0, 0.05, 8));
        assertTrue(collapsed.precision() > 0.95 && collapsed.recall() < 0.2, collapsed.toString());
    }

    @Test
    void classEntropyKnownAnswers() {
        PredictedClassEntropy.Result uniform = PredictedClassEntropy.of(new double[][] {{0, 0, 0, 0}, {1, 1, 1, 1}});
        assertEquals(Math.log(4), uniform.conditional(), 1e-12);
        assertEquals(Math.log(4), uniform.marginal(), 1e-12);
        PredictedClassEntropy.Result confident = PredictedClassEntropy.of(new double[][] {{100, 0}, {0, 100}});
        assertEquals(0.0, confident.conditional(), 1e-12);
        assertEquals(Math.log(2), confident.marginal(), 1e-12);
        assertEquals(2.0, confident.inceptionScore(), 1e-9);
    }

    @Test
    void meanLogLikelihoodPrefersTheTrueMixture() {
        var spec = Toy2d.gaussians8Spec();
        double good = MixtureLogLikelihood.mean(Toy2d.gaussians8(500, new SplittableRandom(2)), spec);
        double bad = MixtureLogLikelihood.mean(gaussian(500, 2, 0, 1, 9), spec);
        assertTrue(good > bad + 10, good + " vs " + bad);
    }
}
