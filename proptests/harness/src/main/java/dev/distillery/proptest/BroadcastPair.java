package dev.distillery.proptest;

import java.util.Arrays;

/**
 * Two tensor shapes that broadcast together under NumPy's rule: align the shapes at their last
 * dims; in each aligned pair the dims are equal or one of them is 1; missing leading dims count
 * as 1. Drawn by {@link Gens#broadcastPair}; the constructor rejects incompatible shapes.
 *
 * @param left the first shape (copied; every dim at least 1)
 * @param right the second shape (copied; every dim at least 1)
 */
public record BroadcastPair(int[] left, int[] right) {

    /** Checks and copies the shapes. */
    public BroadcastPair {
        left = left.clone();
        right = right.clone();
        if (!compatible(left, right)) {
            throw new IllegalArgumentException("not broadcast-compatible: "
                    + Arrays.toString(left) + " and " + Arrays.toString(right));
        }
    }

    /** Whether {@code a} and {@code b} broadcast together (all dims must be at least 1). */
    public static boolean compatible(int[] a, int[] b) {
        for (int d : a) {
            if (d < 1) return false;
        }
        for (int d : b) {
            if (d < 1) return false;
        }
        for (int i = 1; i <= Math.min(a.length, b.length); i++) {
            int x = a[a.length - i];
            int y = b[b.length - i];
            if (x != y && x != 1 && y != 1) return false;
        }
        return true;
    }

    /** The first shape (a copy). */
    @Override
    public int[] left() {
        return left.clone();
    }

    /** The second shape (a copy). */
    @Override
    public int[] right() {
        return right.clone();
    }

    /** The shape of the broadcast result: rank the larger of both, each dim the larger of the pair. */
    public int[] result() {
        int rank = Math.max(left.length, right.length);
        int[] out = new int[rank];
        for (int i = 1; i <= rank; i++) {
            int x = i <= left.length ? left[left.length - i] : 1;
            int y = i <= right.length ? right[right.length - i] : 1;
            out[rank - i] = Math.max(x, y);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BroadcastPair p && Arrays.equals(left, p.left) && Arrays.equals(right, p.right);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(left) + Arrays.hashCode(right);
    }

    @Override
    public String toString() {
        return Arrays.toString(left) + " with " + Arrays.toString(right);
    }
}
