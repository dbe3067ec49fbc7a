package dev.distillery.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.distillery.autograd.backend.ConvGeometry;
import dev.distillery.autograd.backend.ElementwisePlan;
import dev.distillery.autograd.backend.MatmulPlan;
import dev.distillery.autograd.backend.ReducePlan;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The packed structs, read back the way the kernels read them (common.cuh's unravel over the
 * struct fields), must address exactly the elements the plan records define.
 */
class PlanPackingTest {
    static final int M = PlanPacking.MAX_RANK;

    /** common.cuh unravel() over a slice of a packed struct. */
    static long unravel(long linear, int rank, int[] p, int dimsAt, int stridesAt) {
        long off = 0;
        for (int d = rank - 1; d >= 0; d--) {
            long q = linear / p[dimsAt + d];
            off += (linear - q * p[dimsAt + d]) * p[stridesAt + d];
            linear = q;
        }
        return off;
    }

    @Test
    void elementwiseStructAddressesWhatThePlanAddresses() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int trial = 0; trial < 200; trial++) {
            int r = 1 + rng.nextInt(5);
            int[] out = new int[r];
            for (int d = 0; d < r; d++) {
                out[d] = 1 + rng.nextInt(4);
            }
            int[][] strides = new int[3][];
            for (int i = 0; i < 3; i++) {
                int[] dims = out.clone();
                for (int d = 0; d < r; d++) {
                    if (rng.nextInt(3) == 0) {
                        dims[d] = 1;  // broadcast axis
                    }
                }
                strides[i] = broadcastStrides(dims);
            }
            ElementwisePlan plan = ElementwisePlan.of(out, strides);
            int[] p = PlanPacking.elementwise(plan);
            assertEquals(PlanPacking.EW_INTS, p.length);
            assertEquals(plan.numel(), p[1]);
            for (int j = 0; j < plan.numel(); j++) {
                for (int i = 0; i < 3; i++) {
                    assertEquals(plan.offset(i, j), unravel(j, p[0], p, 2, 2 + M + i * M), "input " + i + " element " + j);
                }
            }
        }
    }

    static int[] broadcastStrides(int[] dims) {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            s[d] = dims[d] == 1 ? 0 : acc;
            acc *= dims[d];
        }
        return s;
    }

    @Test
    void reduceStructKeepsTheOrderOfReducedElements() {
        SplittableRandom rng = new SplittableRandom(2);
        for (int trial = 0; trial < 200; trial++) {
            int r = 1 + rng.nextInt(6);
            int[] dims = new int[r];
            boolean[] red = new boolean[r];
            for (int d = 0; d < r; d++) {
                dims[d] = 1 + rng.nextInt(4);
                red[d] = rng.nextBoolean();
            }
            ReducePlan plan = ReducePlan.of(dims, red);
            int[] p = PlanPacking.reduce(plan);
            assertEquals(plan.outer(), p[2]);
            assertEquals(plan.inner(), p[3]);
            for (int o = 0; o < plan.outer(); o++) {
                assertEquals(plan.base(o), unravel(o, p[0], p, 4, 4 + M));
            }
            for (int i = 0; i < plan.inner(); i++) {
                assertEquals(plan.offset(i), unravel(i, p[1], p, 4 + 2 * M, 4 + 3 * M), "reduced element " + i);
            }
        }
    }

    @Test
    void collapseMergesContiguousAxesAndDropsOnes() {
        int[][] c = PlanPacking.collapse(new int[] {2, 1, 3, 4}, new int[] {12, 99, 4, 1}, new int[] {0, 0, 0, 0});
        assertArrayEquals(new int[] {24}, c[0]);
        assertArrayEquals(new int[] {1}, c[1]);
        int[][] t = PlanPacking.collapse(new int[] {2, 3, 4}, new int[] {1, 2, 6});  // transposed: nothing merges
        assertArrayEquals(new int[] {2, 3, 4}, t[0]);
        assertEquals(0, PlanPacking.collapse(new int[] {1, 1}, new int[] {5, 7})[0].length);
    }

    @Test
    void rankAboveEightAfterCollapseIsRejectedWithAFix() {
        int[] dims = new int[9];
        int[] strides = new int[9];
        Arrays.fill(dims, 2);
        for (int d = 0; d < 9; d++) {
            strides[d] = 1 << (2 * (8 - d));  // gaps everywhere: nothing collapses
        }
        ElementwisePlan plan = new ElementwisePlan(dims, new int[][] {strides, strides}, 512);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlanPacking.elementwise(plan));
        assertEquals(true, e.getMessage().contains("at most 8"));
    }

    @Test
    void gemmStructAndAffineBatchOffsets() {
        MatmulPlan p = new MatmulPlan(3, 5, 6, 7, true, false, new int[] {0, 35, 70}, new int[] {0, 0, 0});
        assertArrayEquals(new int[] {5, 6, 7, 1, 0, 5, 6, 35, 0, 2}, PlanPacking.gemm(p, 35, 0, 2));
        assertEquals(35, PlanPacking.affineStride(p.aOffsets()));
        assertEquals(0, PlanPacking.affineStride(p.bOffsets()));  // broadcast B: stride 0
        assertEquals(0, PlanPacking.affineStride(new int[] {40}));
        assertEquals(10, PlanPacking.affineStride(new int[] {5, 15, 25}));  // base folded into the pointer
        assertEquals(-1, PlanPacking.affineStride(new int[] {0, 0, 10, 10}));  // [B, H] broadcast: table
        assertEquals(-1, PlanPacking.affineStride(new int[] {10, 0}));
    }

    @Test
    void convStructCarriesDerivedOutputSize() {
        ConvGeometry g = new ConvGeometry(2, 3, 7, 6, 3, 2, 2, 1, 1);
        assertArrayEquals(new int[] {2, 3, 7, 6, 3, 2, 2, 1, 1, g.outHeight(), g.outWidth()}, PlanPacking.conv(g));
        assertEquals(PlanPacking.CONV_INTS, PlanPacking.conv(g).length);
    }

    @Test
    void inverseIndexListsEachRowsSourcesAscending() {
        int[] index = {4, 0, 4, 2, 4, 0};
        PlanPacking.InverseIndex inv = PlanPacking.inverse(index, 5);
        assertArrayEquals(new int[] {0, 2, 2, 3, 3, 6}, inv.rowStart());
        assertArrayEquals(new int[] {1, 5, 3, 0, 2, 4}, inv.rows());
        assertThrows(IndexOutOfBoundsException.class, () -> PlanPacking.inverse(new int[] {0, 5}, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> PlanPacking.inverse(new int[] {-1}, 5));
    }
}
