package dev.distillery.gpu;

import dev.distillery.autograd.backend.ConvGeometry;
import dev.distillery.autograd.backend.ElementwisePlan;
import dev.distillery.autograd.backend.MatmulPlan;
import dev.distillery.autograd.backend.ReducePlan;
import java.util.Arrays;

/**
 * Packs the core's plan records into the {@code int} layouts of the kernel parameter structs
 * ({@code EwPlan}, {@code RedPlan} in common.cuh, {@code Gemm} in gemm.cu, {@code Conv} in
 * movement.cu). The plans are small, so they travel by value as kernel parameters: no device
 * buffer, no extra copy. Each layout is a flat sequence of 4-byte ints with no padding, the same
 * bytes the C struct has.
 */
final class PlanPacking {
    /** {@code MAX_RANK} in common.cuh: dimensions a plan may keep after collapsing. */
    static final int MAX_RANK = 8;
    /** Ints of {@code struct EwPlan}. */
    static final int EW_INTS = 2 + MAX_RANK + 3 * MAX_RANK;
    /** Ints of {@code struct RedPlan}. */
    static final int RED_INTS = 4 + 4 * MAX_RANK;
    /** Ints of {@code struct Gemm}. */
    static final int GEMM_INTS = 10;
    /** Ints of {@code struct Conv}. */
    static final int CONV_INTS = 11;

    private PlanPacking() {
    }

    /** {@code struct EwPlan}: rank, numel, dims[8], strides[3][8] (unused inputs stay zero). */
    static int[] elementwise(ElementwisePlan plan) {
        int r = plan.rank();
        checkRank(r, "elementwise plan");
        if (plan.strides().length > 3) {
            throw new IllegalArgumentException("elementwise plan with " + plan.strides().length
                    + " inputs; the CUDA kernels take at most 3");
        }
        int[] p = new int[EW_INTS];
        p[0] = r;
        p[1] = plan.numel();
        System.arraycopy(plan.dims(), 0, p, 2, r);
        for (int i = 0; i < plan.strides().length; i++) {
            System.arraycopy(plan.strides()[i], 0, p, 2 + MAX_RANK + i * MAX_RANK, r);
        }
        return p;
    }

    /**
     * {@code struct RedPlan}: keptRank, reducedRank, outer, inner, keptDims[8], keptStrides[8],
     * reducedDims[8], reducedStrides[8]. Kept and reduced axes are collapsed separately, which
     * keeps the order of the reduced elements (so the sum order) unchanged.
     */
    static int[] reduce(ReducePlan plan) {
        int[][] kept = collapse(plan.keptDims(), plan.keptStrides());
        int[][] red = collapse(plan.reducedDims(), plan.reducedStrides());
        checkRank(kept[0].length, "reduction (kept axes)");
        checkRank(red[0].length, "reduction (reduced axes)");
        int[] p = new int[RED_INTS];
        p[0] = kept[0].length;
        p[1] = red[0].length;
        p[2] = plan.outer();
        p[3] = plan.inner();
        System.arraycopy(kept[0], 0, p, 4, kept[0].length);
        System.arraycopy(kept[1], 0, p, 4 + MAX_RANK, kept[0].length);
        System.arraycopy(red[0], 0, p, 4 + 2 * MAX_RANK, red[0].length);
        System.arraycopy(red[1], 0, p, 4 + 3 * MAX_RANK, red[0].length);
        return p;
    }

    /**
     * Collapses a row-major index space: drops size-1 dimensions and merges neighbours that are
     * contiguous in every stride array ({@code s[prev] == s[cur] * dims[cur]}). The offset of every
     * linear index is unchanged. Returns {@code {dims, strides0, strides1, ...}}.
     */
    static int[][] collapse(int[] dims, int[]... strides) {
        int r = dims.length;
        int[] d = new int[r];
        int[][] s = new int[strides.length][r];
        int k = 0;
        for (int i = 0; i < r; i++) {
            if (dims[i] == 1) {
                continue;
            }
            boolean merge = k > 0;
            for (int a = 0; a < strides.length && merge; a++) {
                merge = s[a][k - 1] == (long) strides[a][i] * dims[i];
            }
            if (merge) {
                d[k - 1] *= dims[i];
                for (int a = 0; a < strides.length; a++) {
                    s[a][k - 1] = strides[a][i];
                }
            } else {
                d[k] = dims[i];
                for (int a = 0; a < strides.length; a++) {
                    s[a][k] = strides[a][i];
                }
                k++;
            }
        }
        int[][] out = new int[1 + strides.length][];
        out[0] = Arrays.copyOf(d, k);
        for (int a = 0; a < strides.length; a++) {
            out[1 + a] = Arrays.copyOf(s[a], k);
        }
        return out;
    }

    /**
     * {@code struct Gemm}: m, n, k, transA, transB, lda, ldb, aStride, bStride, batchBase. The
     * strides are used when the batch offsets are affine (see {@link #affineStride}); otherwise
     * the kernel reads an offset table and ignores them.
     */
    static int[] gemm(MatmulPlan p, int aStride, int bStride, int batchBase) {
        return new int[] {p.m(), p.n(), p.k(), p.transA() ? 1 : 0, p.transB() ? 1 : 0, p.lda(), p.ldb(),
            aStride, bStride, batchBase};
    }

    /**
     * The stride s when {@code offsets[b] = offsets[0] + b s} for every b (batched products over
     * contiguous stacks, and unbatched ones), so no offset table needs uploading; -1 otherwise
     * (broadcast batches such as {@code [B, H]} against {@code [B, 1]}).
     */
    static int affineStride(int[] offsets) {
        if (offsets.length < 2) {
            return 0;
        }
        long s = (long) offsets[1] - offsets[0];
        for (int b = 2; b < offsets.length; b++) {
            if ((long) offsets[b] - offsets[0] != b * s) {
                return -1;
            }
        }
        return s < 0 || s > Integer.MAX_VALUE ? -1 : (int) s;
    }

    /** {@code struct Conv}: the geometry with its derived output size. */
    static int[] conv(ConvGeometry g) {
        return new int[] {g.batch(), g.channels(), g.height(), g.width(), g.kh(), g.kw(), g.stride(),
            g.padH(), g.padW(), g.outHeight(), g.outWidth()};
    }

    /**
     * The inverse of an index map in CSR form, for the gather formulation of indexAdd: the j with
     * {@code index[j] = row} are {@code rows[rowStart[row] .. rowStart[row + 1])}, ascending.
     */
    record InverseIndex(int[] rowStart, int[] rows) {
    }

    /** Builds the inverse by a stable counting sort, so each row lists its j in increasing order. */
    static InverseIndex inverse(int[] index, int axisLen) {
        int[] start = new int[axisLen + 1];
        for (int j = 0; j < index.length; j++) {
            checkIndex(index[j], axisLen, j);
            start[index[j] + 1]++;
        }
        for (int r = 0; r < axisLen; r++) {
            start[r + 1] += start[r];
        }
        int[] next = Arrays.copyOf(start, axisLen);
        int[] rows = new int[index.length];
        for (int j = 0; j < index.length; j++) {
            rows[next[index[j]]++] = j;
        }
        return new InverseIndex(start, rows);
    }

    /** Checks an index before it reaches the device, where a bad one would read out of bounds. */
    static void checkIndex(int value, int axisLen, int position) {
        if (value < 0 || value >= axisLen) {
            throw new IndexOutOfBoundsException("index[" + position + "] = " + value
                    + " is outside the axis of length " + axisLen);
        }
    }

    /**
     * Largest element offset {@code base + sum_d (dims[d] - 1) strides[d]} reachable from base
     * (-1 when some dimension is empty, i.e. nothing is read); strides must be non-negative.
     */
    static long maxOffset(long base, int[] dims, int[] strides) {
        long off = base;
        for (int d = 0; d < dims.length; d++) {
            if (dims[d] == 0) {
                return -1;
            }
            off += (long) (dims[d] - 1) * strides[d];
        }
        return off;
    }

    static void checkRank(int rank, String what) {
        if (rank > MAX_RANK) {
            throw new IllegalArgumentException(what + " has " + rank + " dimensions after collapsing; the "
                    + "CUDA kernels take at most " + MAX_RANK + " (reshape to fewer axes first)");
        }
    }
}
