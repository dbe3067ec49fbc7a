package dev.distillery.autograd.random;

import dev.distillery.autograd.backend.RandomKind;
import java.util.Objects;

/**
 * A small stateful convenience over an {@link RngKey} and a 64-bit position in that key's
 * {@link PhiloxStream}. Every draw is a pure function of {@code (key, position)}:
 * <ul>
 *   <li>{@link #nextDouble()}, {@link #nextGaussian()}, {@link #nextLong()} and
 *       {@link #nextKey()} consume exactly one position each;</li>
 *   <li>{@link #fill(RandomKind, double[])} and {@link #fill(RandomKind, float[])} consume
 *       {@code out.length} positions and equal {@code PhiloxStream.fill} at the current
 *       offset;</li>
 *   <li>{@link #nextInt(int)} consumes one position per attempt (rejection sampling; fewer than
 *       2 attempts on average for any bound).</li>
 * </ul>
 * So a draw at position p gives the same number whatever was drawn before it, and a range of
 * positions can be replayed or computed in parallel elsewhere ({@link RngKey#uniform(long)},
 * a backend's random kernel). {@link #state()} / {@link #restore(State)} capture everything,
 * for checkpoint resume. Not thread-safe: give each thread its own key via {@link #nextKey()}
 * or {@link RngKey#split(int)}.
 */
public final class Rng {
    private final int[] words = new int[4];
    private RngKey key;
    private long position;

    /** A generator over {@code RngKey.of(seed)} at position 0. */
    public Rng(long seed) {
        this(RngKey.of(seed), 0L);
    }

    /** A generator over {@code key} at position 0. */
    public Rng(RngKey key) {
        this(key, 0L);
    }

    /** A generator over {@code key} at {@code position} (positions wrap modulo 2^64). */
    public Rng(RngKey key, long position) {
        this.key = Objects.requireNonNull(key, "key");
        this.position = position;
    }

    /**
     * Everything a generator holds, for checkpoints.
     *
     * @param key the 64-bit key value
     * @param position the next stream position to draw
     */
    public record State(long key, long position) {
    }

    /** The current key and position; {@code restore(state())} is a no-op. */
    public State state() {
        return new State(key.value(), position);
    }

    /** Returns to a state from {@link #state()}: later draws repeat those made after it. */
    public void restore(State state) {
        key = RngKey.of(state.key());
        position = state.position();
    }

    /** The key this generator draws from. */
    public RngKey key() {
        return key;
    }

    /** The next position to be drawn. */
    public long position() {
        return position;
    }

    /**
     * A fresh key, {@code P_K(lo(p), hi(p), 0, TAG_NEXT_KEY)} at the current position p (see
     * {@link RngKey}); independent of the numbers this generator draws.
     */
    public RngKey nextKey() {
        return key.derive(position++, RngKey.TAG_NEXT_KEY, words);
    }

    /** 64 uniform bits, {@code (w0 << 32) | w1} of the stream block at the current position. */
    public long nextLong() {
        PhiloxStream.words(key.value(), position++, words);
        return ((long) words[0] << 32) | (words[1] & 0xFFFFFFFFL);
    }

    /** Uniform on the open interval (0, 1), 53 bits: {@code PhiloxStream.at(UNIFORM, key, p)}. */
    public double nextDouble() {
        return PhiloxStream.at(RandomKind.UNIFORM, key.value(), position++);
    }

    /** Standard normal, {@code PhiloxStream.at(NORMAL, key, p)} (Box-Muller). */
    public double nextGaussian() {
        return PhiloxStream.at(RandomKind.NORMAL, key.value(), position++);
    }

    /**
     * Uniform on {@code {0, ..., bound - 1}} without modulo bias (Lemire, "Fast random integer
     * generation in an interval", ACM TOMACS 2019): with x the 32-bit word w0 of the block at the
     * current position and {@code m = x * bound} (64 bits), accept {@code hi32(m)} when
     * {@code lo32(m) >= 2^32 mod bound}, which leaves exactly {@code floor(2^32 / bound)} values of
     * x per outcome; otherwise move to the next position and retry.
     *
     * @throws IllegalArgumentException if bound is not positive
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long threshold = (1L << 32) % bound;
        while (true) {
            PhiloxStream.words(key.value(), position++, words);
            long m = (words[0] & 0xFFFFFFFFL) * bound;
            if ((m & 0xFFFFFFFFL) >= threshold) {
                return (int) (m >>> 32);
            }
        }
    }

    /** Fills {@code out} with the next {@code out.length} positions, as {@code PhiloxStream.fill}. */
    public void fill(RandomKind kind, double[] out) {
        PhiloxStream.fill(kind, key.value(), position, out, 0, out.length);
        position += out.length;
    }

    /** Fills {@code out} with the next {@code out.length} positions, as {@code PhiloxStream.fill}. */
    public void fill(RandomKind kind, float[] out) {
        PhiloxStream.fill(kind, key.value(), position, out, 0, out.length);
        position += out.length;
    }

    /**
     * Reserves the next {@code n} positions and returns the first, for a backend to fill on its
     * own (as {@code Tensor.randn(dtype, rng, dims)} does).
     */
    public long reserve(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("reserve: n = " + n + " must be non-negative");
        }
        long first = position;
        position += n;
        return first;
    }
}
