package dev.distillery.autograd.random;

import dev.distillery.autograd.backend.RandomKind;

/**
 * The mapping from stream positions to numbers, shared by every backend. Position p of the
 * stream of 64-bit key K is the Philox block of counter {@code (lo(p), hi(p), 0, 0)} under key
 * {@code (lo(K), hi(K))}, giving words {@code w0..w3}. From them:
 * <ul>
 *   <li>uniform F64: {@code u = (m + 0.5) 2^-53}, {@code m = (w0 << 21) | (w1 >>> 11)} (53 bits),
 *       in the open interval (0, 1);</li>
 *   <li>uniform F32: {@code u = ((w0 >>> 9) + 0.5) 2^-23}: 23 bits, so {@code m + 0.5} and the
 *       product are exact in float and the largest value is {@code 1 - 2^-24 < 1} (24 bits would
 *       round the top value up to exactly 1);</li>
 *   <li>normal (both dtypes): Box-Muller {@code sqrt(-2 ln u1) cos(2 pi u2)} with u1 the F64
 *       uniform of {@code (w0, w1)} and u2 that of {@code (w2, w3)}, rounded once to F32 when
 *       needed.</li>
 * </ul>
 * One block per element wastes some bits but makes every element independent of the others, of
 * the dtype's packing and of the thread partition.
 */
public final class PhiloxStream {
    private static final double TWO_PI = 2.0 * Math.PI;

    private PhiloxStream() {
    }

    /** Fills {@code out[from..to)} with stream positions {@code offset + (i - from)}. */
    public static void fill(RandomKind kind, long key, long offset, double[] out, int from, int to) {
        int[] w = new int[4];
        for (int i = from; i < to; i++) {
            words(key, offset + (i - from), w);
            out[i] = kind == RandomKind.UNIFORM ? uniform53(w[0], w[1]) : normal(w);
        }
    }

    /** Fills {@code out[from..to)} with stream positions {@code offset + (i - from)}. */
    public static void fill(RandomKind kind, long key, long offset, float[] out, int from, int to) {
        int[] w = new int[4];
        for (int i = from; i < to; i++) {
            words(key, offset + (i - from), w);
            out[i] = kind == RandomKind.UNIFORM ? uniform24(w[0]) : (float) normal(w);
        }
    }

    /** The F64 value at one position (for tests and scalar use). */
    public static double at(RandomKind kind, long key, long position) {
        int[] w = new int[4];
        words(key, position, w);
        return kind == RandomKind.UNIFORM ? uniform53(w[0], w[1]) : normal(w);
    }

    static void words(long key, long position, int[] w) {
        Philox.block((int) position, (int) (position >>> 32), 0, 0, (int) key, (int) (key >>> 32), w);
    }

    static double uniform53(int w0, int w1) {
        long m = ((w0 & 0xFFFFFFFFL) << 21) | ((w1 & 0xFFFFFFFFL) >>> 11);
        return (m + 0.5) * 0x1p-53;
    }

    static float uniform24(int w0) {
        return ((w0 >>> 9) + 0.5f) * 0x1p-23f;
    }

    private static double normal(int[] w) {
        double u1 = uniform53(w[0], w[1]);
        double u2 = uniform53(w[2], w[3]);
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(TWO_PI * u2);
    }
}
