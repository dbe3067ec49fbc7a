package dev.distillery.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.backend.Storage;
import dev.distillery.autograd.backend.StridedView;
import dev.distillery.autograd.cpu.ScalarBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The gather formulation of strided copy, executed in Java exactly as movement.cu's copy_impl and
 * copy_seq_impl read the packed CopyPlan, must give the oracle's bits (F64, so Java's double
 * arithmetic is the kernel's arithmetic).
 */
class CopyLayoutTest {
    static final int M = PlanPacking.MAX_RANK;
    final ScalarBackend oracle = new ScalarBackend();

    /** movement.cu copy_impl / copy_seq_impl, one "thread" after another. */
    static void emulate(CopyLayout l, double[] src, double[] dst, boolean accumulate) {
        int[] p = l.packed();
        if (l.sequential()) {
            for (long i = 0; i < p[2]; i++) {
                long s = p[4] + PlanPackingTest.unravel(i, p[0], p, 6, 6 + M);
                long d = p[5] + PlanPackingTest.unravel(i, p[0], p, 6, 6 + 2 * M);
                dst[(int) d] = accumulate ? dst[(int) d] + src[(int) s] : src[(int) s];
            }
            return;
        }
        for (long i = 0; i < p[2]; i++) {
            long s0 = p[4] + PlanPackingTest.unravel(i, p[0], p, 6, 6 + M);
            long d = p[5] + PlanPackingTest.unravel(i, p[0], p, 6, 6 + 2 * M);
            double acc = accumulate ? dst[(int) d] : 0.0;
            for (int s = 0; s < p[3]; s++) {
                double v = src[(int) (s0 + PlanPackingTest.unravel(s, p[1], p, 6 + 3 * M, 6 + 4 * M))];
                acc = accumulate ? acc + v : v;
            }
            dst[(int) d] = acc;
        }
    }

    void check(StridedView from, int srcSize, StridedView to, int dstSize, boolean accumulate, SplittableRandom rng) {
        double[] src = new double[srcSize], dst = new double[dstSize];
        for (int i = 0; i < srcSize; i++) {
            src[i] = rng.nextDouble(-1, 1);
        }
        for (int i = 0; i < dstSize; i++) {
            dst[i] = rng.nextDouble(-1, 1);
        }
        Storage s = oracle.upload(DType.F64, src), d = oracle.upload(DType.F64, dst);
        oracle.copy(s, from, d, to, accumulate);
        CopyLayout layout = CopyLayout.of(from, srcSize, to, dstSize);
        emulate(layout, src, dst, accumulate);
        assertArrayEquals(oracle.download(d), dst, 0.0, "from " + from + " to " + to + " accumulate " + accumulate);
    }

    @Test
    void randomPermutationsSlicesAndBroadcastsMatchTheOracleBitForBit() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 300; trial++) {
            int r = 1 + rng.nextInt(4);
            int[] dims = new int[r];
            for (int d = 0; d < r; d++) {
                dims[d] = 1 + rng.nextInt(4);
            }
            // source: a permuted contiguous buffer; destination: contiguous, with broadcast axes
            int[] perm = permutation(r, rng);
            int[] srcDims = new int[r];
            for (int d = 0; d < r; d++) {
                srcDims[perm[d]] = dims[d];
            }
            int[] cs = StridedView.contiguous(srcDims).strides();
            int[] fs = new int[r];
            for (int d = 0; d < r; d++) {
                fs[d] = cs[perm[d]];
            }
            int srcSize = StridedView.contiguous(srcDims).numel();
            int[] dstDims = dims.clone();
            for (int d = 0; d < r; d++) {
                if (rng.nextInt(3) == 0) {
                    dstDims[d] = 1;
                }
            }
            int[] ts = PlanPackingTest.broadcastStrides(dstDims);
            int dstOffset = rng.nextInt(3);
            int dstSize = dstOffset + StridedView.contiguous(dstDims).numel() + rng.nextInt(3);
            StridedView from = new StridedView(0, dims, fs), to = new StridedView(dstOffset, dims, ts);
            check(from, srcSize, to, dstSize, true, rng);
            check(from, srcSize, to, dstSize, false, rng);
        }
    }

    @Test
    void broadcastDestinationRunsInParallelOverTheKeptAxes() {
        StridedView to = new StridedView(0, new int[] {5, 3, 4}, new int[] {0, 1, 0});
        CopyLayout l = CopyLayout.of(StridedView.contiguous(new int[] {5, 3, 4}), 60, to, 3);
        assertFalse(l.sequential());
        assertTrue(l.parCount() == 3, "one thread per destination");
    }

    @Test
    void overlappingDestinationFallsBackToOneThreadAndStaysExact() {
        StridedView to = new StridedView(0, new int[] {4, 3}, new int[] {1, 1});
        CopyLayout l = CopyLayout.of(StridedView.contiguous(new int[] {4, 3}), 12, to, 6);
        assertTrue(l.sequential());
        check(StridedView.contiguous(new int[] {4, 3}), 12, to, 6, true, new SplittableRandom(4));
        check(StridedView.contiguous(new int[] {4, 3}), 12, to, 6, false, new SplittableRandom(5));
    }

    @Test
    void injectivityTest() {
        assertTrue(CopyLayout.injective(new int[] {3, 4}, new int[] {4, 1}));
        assertTrue(CopyLayout.injective(new int[] {3, 4}, new int[] {1, 3}));
        assertTrue(CopyLayout.injective(new int[] {3, 4}, new int[] {1, 5}));   // gaps are fine
        assertFalse(CopyLayout.injective(new int[] {3, 4}, new int[] {1, 2}));  // 2*1 == 1*2
        assertTrue(CopyLayout.injective(new int[] {1, 4}, new int[] {0, 1}));   // size-1 axes never collide
    }

    @Test
    void viewsOutsideTheStorageAreRejectedBeforeReachingTheDevice() {
        StridedView v = StridedView.contiguous(new int[] {3, 4});
        assertThrows(IndexOutOfBoundsException.class, () -> CopyLayout.of(v, 11, v, 12));
        assertThrows(IndexOutOfBoundsException.class,
                () -> CopyLayout.of(v, 12, new StridedView(1, new int[] {3, 4}, new int[] {4, 1}), 12));
        assertThrows(IllegalArgumentException.class,
                () -> CopyLayout.of(v, 12, StridedView.contiguous(new int[] {4, 3}), 12));
    }

    private static int[] permutation(int r, SplittableRandom rng) {
        int[] p = new int[r];
        for (int i = 0; i < r; i++) {
            p[i] = i;
        }
        for (int i = r - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
