package dev.distillery.autograd.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StridedViewTest {

    /** Offsets of every element in row-major order. */
    private static int[] offsets(StridedView v) {
        int[] o = new int[v.numel()];
        for (int i = 0; i < o.length; i++) {
            o[i] = v.offsetOf(i);
        }
        return o;
    }

    @Test
    void coalescingKeepsEveryPairInOrder() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 2000; trial++) {
            int r = rnd.nextInt(6);
            int[] dims = new int[r];
            for (int k = 0; k < r; k++) {
                dims[k] = 1 + rnd.nextInt(4);
            }
            StridedView from = window(dims, rnd);
            StridedView to = window(dims, rnd);
            StridedView[] c = StridedView.coalesced(from, to);
            String where = java.util.Arrays.toString(dims) + " " + java.util.Arrays.toString(from.strides())
                    + " -> " + java.util.Arrays.toString(to.strides());
            assertArrayEquals(c[0].dims(), c[1].dims(), where);
            assertArrayEquals(offsets(from), offsets(c[0]), where);
            assertArrayEquals(offsets(to), offsets(c[1]), where);
        }
    }

    /** A view of {@code dims} inside a larger buffer: a permuted, padded or broadcast (stride 0) layout. */
    private static StridedView window(int[] dims, SplittableRandom rnd) {
        int r = dims.length;
        int[] order = new int[r];
        for (int k = 0; k < r; k++) {
            order[k] = k;
        }
        if (rnd.nextBoolean()) {
            for (int k = r - 1; k > 0; k--) {
                int j = rnd.nextInt(k + 1);
                int t = order[k];
                order[k] = order[j];
                order[j] = t;
            }
        }
        int[] strides = new int[r];
        int acc = 1;
        for (int q = r - 1; q >= 0; q--) {
            int k = order[q];
            strides[k] = rnd.nextInt(5) == 0 ? 0 : acc;
            acc *= dims[k] + (rnd.nextInt(3) == 0 ? 1 : 0);
        }
        return new StridedView(rnd.nextInt(3), dims, strides);
    }

    @Test
    void channelConcatenationBecomesOneRunPerImage() {
        // a [4, 3, 8, 8] block copied into channels 2..5 of a [4, 7, 8, 8] tensor
        StridedView from = StridedView.contiguous(new int[] {4, 3, 8, 8});
        StridedView to = new StridedView(2 * 64, new int[] {4, 3, 8, 8}, new int[] {7 * 64, 64, 8, 1});
        StridedView[] c = StridedView.coalesced(from, to);
        assertArrayEquals(new int[] {4, 192}, c[0].dims());
        assertArrayEquals(new int[] {192, 1}, c[0].strides());
        assertArrayEquals(new int[] {448, 1}, c[1].strides());
        assertEquals(128, c[1].offset());
    }

    @Test
    void aScalarStaysRankOne() {
        StridedView[] c = StridedView.coalesced(new StridedView(3, new int[] {1, 1}, new int[] {5, 9}),
                new StridedView(4, new int[] {1, 1}, new int[] {1, 1}));
        assertArrayEquals(new int[] {1}, c[0].dims());
        assertEquals(3, c[0].offsetOf(0));
        assertEquals(4, c[1].offsetOf(0));
    }
}
