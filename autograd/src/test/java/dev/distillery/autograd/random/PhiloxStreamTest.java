package dev.distillery.autograd.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.backend.RandomKind;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Properties of the shared position-to-number mapping that every backend must reproduce. */
class PhiloxStreamTest {
    private static final long KEY = 0x5eed5eed5eed5eedL;

    @Test
    void f64UniformsAtTheExtremeWordsStayInsideTheOpenInterval() {
        assertEquals(0x1p-54, PhiloxStream.uniform53(0, 0));
        assertEquals(1.0 - 0x1p-54, PhiloxStream.uniform53(-1, -1));
    }

    @Test
    void f32UniformsAreExactOddMultiplesOfTwoToTheMinus24() {
        for (int m : new int[] {0, 1, 2, 12345, (1 << 23) - 1}) {
            assertEquals((2 * m + 1) * 0x1p-24f, PhiloxStream.uniform24(m << 9), "m " + m);
        }
        assertTrue(PhiloxStream.uniform24(0) > 0f);
    }

    /**
     * Regression: a 24-bit mapping rounded {@code (2^24 - 1) + 0.5} half-to-even up to 2^24 and
     * returned exactly 1.0f for the all-ones word; the 23-bit mapping cannot.
     */
    @Test
    void f32UniformsAtTheExtremeWordsStayInsideTheOpenInterval() {
        assertEquals(1f - 0x1p-24f, PhiloxStream.uniform24(-1));
        assertEquals(0x1p-24f, PhiloxStream.uniform24(0));
    }

    @Test
    void streamUniformsLieStrictlyBetweenZeroAndOne() {
        int n = 100_000;
        float[] f = new float[n];
        double[] d = new double[n];
        PhiloxStream.fill(RandomKind.UNIFORM, KEY, 0, f, 0, n);
        PhiloxStream.fill(RandomKind.UNIFORM, KEY, 0, d, 0, n);
        for (int i = 0; i < n; i++) {
            assertTrue(f[i] > 0f && f[i] < 1f, "F32 at " + i + ": " + f[i]);
            assertTrue(d[i] > 0.0 && d[i] < 1.0, "F64 at " + i + ": " + d[i]);
        }
    }

    @Test
    void f32NormalsAreF64NormalsRoundedOnce() {
        int n = 10_000;
        float[] f = new float[n];
        double[] d = new double[n];
        PhiloxStream.fill(RandomKind.NORMAL, KEY, 1L << 40, f, 0, n);
        PhiloxStream.fill(RandomKind.NORMAL, KEY, 1L << 40, d, 0, n);
        for (int i = 0; i < n; i++) {
            assertEquals((float) d[i], f[i], "position " + ((1L << 40) + i));
        }
    }

    @Test
    void fillAtAnOffsetEqualsASliceOfFillFromZero() {
        for (RandomKind kind : RandomKind.values()) {
            double[] whole = new double[1000];
            PhiloxStream.fill(kind, KEY, 0, whole, 0, whole.length);
            double[] part = new double[400];
            PhiloxStream.fill(kind, KEY, 300, part, 100, 350);
            assertArrayEquals(Arrays.copyOfRange(whole, 300, 550), Arrays.copyOfRange(part, 100, 350), kind.name());
            float[] wholeF = new float[1000];
            PhiloxStream.fill(kind, KEY, 0, wholeF, 0, wholeF.length);
            float[] partF = new float[250];
            PhiloxStream.fill(kind, KEY, 700, partF, 0, 250);
            assertArrayEquals(Arrays.copyOfRange(wholeF, 700, 950), partF, kind.name());
            for (int i = 0; i < whole.length; i += 97) {
                assertEquals(whole[i], PhiloxStream.at(kind, KEY, i));
            }
        }
    }

    @Test
    void streamPositionIsTheLow64BitsOfTheCounter() {
        int[] w = new int[4];
        long p = 0x0000000100000002L;
        PhiloxStream.words(KEY, p, w);
        int[] expected = new int[4];
        Philox.block(2, 1, 0, 0, (int) KEY, (int) (KEY >>> 32), expected);
        assertArrayEquals(expected, w);
    }

    @Test
    void f32UniformsHaveTheirDocumentedMoments() {
        int n = 100_000;
        float[] f = new float[n];
        PhiloxStream.fill(RandomKind.UNIFORM, KEY, 0, f, 0, n);
        double mean = 0;
        for (float v : f) {
            mean += v;
        }
        mean /= n;
        assertEquals(0.5, mean, 5 * Math.sqrt(1.0 / 12 / n));
    }

    @Test
    void f64NormalsPassKolmogorovSmirnov() {
        int n = 100_000;
        double[] z = new double[n];
        PhiloxStream.fill(RandomKind.NORMAL, KEY, 0, z, 0, n);
        double d = Statistics.ksDistanceToNormal(z);
        assertTrue(d < 1.949 / Math.sqrt(n), "KS distance " + d);
    }
}
