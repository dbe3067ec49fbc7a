package dev.distillery.autograd.random;

import dev.distillery.autograd.backend.RandomKind;

/**
 * A 64-bit Philox key, split and folded like a JAX PRNG key: derived keys are pure functions of
 * the parent key and an index, so any thread or device derives the same keys in any order.
 *
 * <p>Write {@code k0 = lo(value)}, {@code k1 = hi(value)} and {@code P_K(c0, c1, c2, c3)} for the
 * Philox-4x32-10 block of counter {@code (c0..c3)} under key {@code (k0, k1)}, with output words
 * {@code w0..w3}. A derived key is {@code (w1 << 32) | w0} of one block:
 * <ul>
 *   <li>{@code split(n)[i] = P_K(i, 0, 0, TAG_SPLIT)}, for {@code 0 <= i < n};
 *       {@code split()} is {@code split(2)};</li>
 *   <li>{@code fold(d) = P_K(lo(d), hi(d), 0, TAG_FOLD)};</li>
 *   <li>{@link Rng#nextKey()} at position p is {@code P_K(lo(p), hi(p), 0, TAG_NEXT_KEY)}.</li>
 * </ul>
 * The tags are nonzero ASCII words ({@code "SPLT"}, {@code "FOLD"}, {@code "NKEY"}), while the
 * number stream of {@link PhiloxStream} uses counters {@code (lo(p), hi(p), 0, 0)}; the counter
 * domains are disjoint, so no derived key equals a block that was also spent on numbers.
 * Because {@code P_K} is a bijection of counters, {@code split(n)} never repeats a 128-bit block;
 * two children coincide only if the blocks agree in their first 64 bits (probability about
 * {@code 2^-64} per pair).
 *
 * @param value the 64-bit key, {@code (k1 << 32) | k0}
 */
public record RngKey(long value) {
    /** Counter word c3 of split blocks: ASCII "SPLT". */
    static final int TAG_SPLIT = 0x53504C54;
    /** Counter word c3 of fold blocks: ASCII "FOLD". */
    static final int TAG_FOLD = 0x464F4C44;
    /** Counter word c3 of {@link Rng#nextKey()} blocks: ASCII "NKEY". */
    static final int TAG_NEXT_KEY = 0x4E4B4559;

    /**
     * The key whose 64 bits are {@code seed} itself (as JAX's {@code PRNGKey(seed)} and cuRAND's
     * Philox seed): Philox's key schedule already mixes the seed, and the identity keeps
     * {@code PhiloxStream.fill(kind, seed, ...)} and {@code RngKey.of(seed)} the same stream.
     */
    public static RngKey of(long seed) {
        return new RngKey(seed);
    }

    /** Two independent children, equal to {@code split(2)}. */
    public RngKey[] split() {
        return split(2);
    }

    /**
     * {@code n} independent children, {@code child i = P_K(i, 0, 0, TAG_SPLIT)} (see the class
     * comment); {@code split(n)[i]} does not depend on n.
     *
     * @throws IllegalArgumentException if n is negative
     */
    public RngKey[] split(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("split count must be >= 0, got " + n);
        }
        RngKey[] children = new RngKey[n];
        int[] w = new int[4];
        for (int i = 0; i < n; i++) {
            children[i] = derive(i, TAG_SPLIT, w);
        }
        return children;
    }

    /**
     * The key derived from this one and {@code data}, {@code P_K(lo(data), hi(data), 0, TAG_FOLD)}:
     * use it to give each step, layer or sample its own key without keeping state.
     */
    public RngKey fold(long data) {
        return derive(data, TAG_FOLD, new int[4]);
    }

    /** The F64 value at {@code position} of this key's stream (see {@link PhiloxStream}). */
    public double uniform(long position) {
        return PhiloxStream.at(RandomKind.UNIFORM, value, position);
    }

    /** The standard normal at {@code position} of this key's stream (see {@link PhiloxStream}). */
    public double normal(long position) {
        return PhiloxStream.at(RandomKind.NORMAL, value, position);
    }

    RngKey derive(long counter, int tag, int[] w) {
        Philox.block((int) counter, (int) (counter >>> 32), 0, tag, (int) value, (int) (value >>> 32), w);
        return new RngKey(((long) w[1] << 32) | (w[0] & 0xFFFFFFFFL));
    }

    /** The key as 16 hex digits, e.g. {@code RngKey[0x000000000000002a]}. */
    @Override
    public String toString() {
        return String.format("RngKey[0x%016x]", value);
    }
}
