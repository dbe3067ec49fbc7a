package dev.distillery.diffusion.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class Toy2dTest {
    private static final long SEED = 7L;
    private static final int N = 20_000;

    @Test
    void everyGeneratorIsDeterministicForASeed() {
        for (BiFunction<Integer, RandomGenerator, double[][]> g : generators()) {
            double[][] a = g.apply(500, new SplittableRandom(SEED));
            double[][] b = g.apply(500, new SplittableRandom(SEED));
            assertEquals(500, a.length);
            for (int i = 0; i < a.length; i++) {
                assertEquals(2, a[i].length);
                assertArrayEquals(a[i], b[i], 0.0);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static BiFunction<Integer, RandomGenerator, double[][]>[] generators() {
        return new BiFunction[] {
            (BiFunction<Integer, RandomGenerator, double[][]>) Toy2d::gaussians25,
            (BiFunction<Integer, RandomGenerator, double[][]>) Toy2d::gaussians8,
            (BiFunction<Integer, RandomGenerator, double[][]>) Toy2d::swissRoll,
            (BiFunction<Integer, RandomGenerator, double[][]>) Toy2d::twoMoons,
            (BiFunction<Integer, RandomGenerator, double[][]>) Toy2d::checkerboard};
    }

    /** Each point lies within 6 std of its nearest mode, and every mode gets about 1/k of the points. */
    @Test
    void mixtureSamplesCoverEveryModeEvenly() {
        for (MixtureSpec spec : new MixtureSpec[] {Toy2d.gaussians25Spec(), Toy2d.gaussians8Spec()}) {
            double[][] x = spec.sample(N, new SplittableRandom(SEED));
            int[] counts = new int[spec.k()];
            for (double[] p : x) {
                int best = 0;
                double bestD = Double.POSITIVE_INFINITY;
                for (int i = 0; i < spec.k(); i++) {
                    double d = Math.hypot(p[0] - spec.mean(i, 0), p[1] - spec.mean(i, 1));
                    if (d < bestD) {
                        bestD = d;
                        best = i;
                    }
                }
                assertTrue(bestD < 6 * spec.std(best), spec + " point " + p[0] + "," + p[1]);
                counts[best]++;
            }
            double expected = (double) N / spec.k();
            for (int c : counts) {
                // binomial std is sqrt(N p (1-p)) <= 0.36 expected here; 5 std
                assertTrue(Math.abs(c - expected) < 5 * Math.sqrt(expected), spec.k() + " modes, count " + c);
            }
        }
    }

    @Test
    void mixtureSpecsHaveTheDocumentedModes() {
        MixtureSpec grid = Toy2d.gaussians25Spec();
        assertEquals(25, grid.k());
        assertEquals(2, grid.dim());
        assertArrayEquals(new double[] {-4, -4}, grid.means()[0], 0.0);
        assertArrayEquals(new double[] {4, 4}, grid.means()[24], 0.0);
        assertArrayEquals(new double[] {0, 0}, grid.means()[12], 0.0);
        assertEquals(0.05, grid.std(7), 0.0);
        MixtureSpec ring = Toy2d.gaussians8Spec();
        assertEquals(8, ring.k());
        for (int i = 0; i < 8; i++) {
            assertEquals(2.0, Math.hypot(ring.mean(i, 0), ring.mean(i, 1)), 1e-15);
            assertEquals(0.125, ring.weight(i), 0.0);
            assertEquals(0.02, ring.std(i), 0.0);
        }
        // log-density at a mode centre: log(1/8) - log(2 pi 0.02^2) (other modes negligible)
        assertEquals(Math.log(0.125) - Math.log(2 * Math.PI * 0.0004), ring.logDensity(new double[] {2, 0}), 1e-12);
    }

    @Test
    void mixtureSpecIsImmutableAndValidated() {
        double[][] means = {{0, 0}, {1, 1}};
        MixtureSpec m = MixtureSpec.equalWeights(means, 0.1);
        means[0][0] = 99;
        m.means()[1][1] = 42;
        assertEquals(0.0, m.mean(0, 0), 0.0);
        assertEquals(1.0, m.mean(1, 1), 0.0);
        assertEquals(m, MixtureSpec.equalWeights(new double[][] {{0, 0}, {1, 1}}, 0.1));
        assertThrows(IllegalArgumentException.class,
                () -> new MixtureSpec(2, 2, new double[] {0.5, 0.6}, new double[][] {{0, 0}, {1, 1}}, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> new MixtureSpec(1, 2, new double[] {1}, new double[][] {{0, 0}}, new double[] {0}));
    }

    @Test
    void nonMixtureToysStayInTheirSupport() {
        for (double[] p : Toy2d.checkerboard(N, new SplittableRandom(SEED))) {
            assertTrue(Math.abs(p[0]) <= 4 && Math.abs(p[1]) <= 4, p[0] + "," + p[1]);
            // FFJORD's board: the occupied 2x2 squares are those with floor(x/2) + floor(y/2) even
            long cx = (long) Math.floor(p[0] / 2);
            long cy = (long) Math.floor(p[1] / 2);
            assertEquals(0, Math.floorMod(cx + cy, 2L), "checkerboard square parity at " + p[0] + "," + p[1]);
        }
        double meanY = 0;
        for (double[] p : Toy2d.twoMoons(N, new SplittableRandom(SEED))) {
            assertTrue(p[0] > -1.4 && p[0] < 2.4 && p[1] > -0.9 && p[1] < 1.4, p[0] + "," + p[1]);
            meanY += p[1] / N;
        }
        assertEquals(0.25, meanY, 0.02, "E[y] = (2/pi + 1/2 - 2/pi)/2 = 0.25");
        for (double[] p : Toy2d.swissRoll(N, new SplittableRandom(SEED))) {
            double r = Math.hypot(p[0], p[1]);
            assertTrue(r < 4.5 * Math.PI / 7.5 + 0.3, "radius " + r);
        }
        assertThrows(IllegalArgumentException.class, () -> Toy2d.swissRoll(-1, new SplittableRandom(1)));
    }
}
