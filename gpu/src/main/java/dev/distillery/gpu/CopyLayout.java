package dev.distillery.gpu;

import dev.distillery.autograd.backend.StridedView;
import java.util.Arrays;

/**
 * How a strided copy runs on the device without atomics and with the oracle's exact semantics
 * ({@code for i in row-major order: dst[to(i)] = (accumulate ? dst[to(i)] : 0) + src[from(i)]},
 * the last write winning when destinations repeat).
 *
 * <p>After collapsing, the dimensions split in two: <em>serial</em> ones, where the destination
 * stride is 0 (many sources land on one destination, as in the backward of a broadcast), and
 * <em>parallel</em> ones. If the parallel part maps indices to distinct destinations, each thread
 * owns one destination and walks the serial dimensions in row-major order, which is the order the
 * oracle visits them in for that destination: the results are bit-identical to the oracle. If
 * distinctness cannot be shown (overlapping, exotic strides), the copy runs sequentially in one
 * thread: slow, still exact.
 *
 * <p>The packed form is {@code struct CopyPlan} of common.cuh: parRank, serRank, parCount,
 * serCount, srcOffset, dstOffset, parDims[8], parSrc[8], parDst[8], serDims[8], serSrc[8].
 *
 * @param packed     the kernel parameter struct
 * @param sequential true when only the one-thread kernel is exact
 * @param parCount   threads needed (elements of the parallel part)
 */
record CopyLayout(int[] packed, boolean sequential, int parCount) {
    static final int INTS = 6 + 5 * PlanPacking.MAX_RANK;

    /** Plans copying view {@code from} of a source of srcSize elements to {@code to} of dstSize. */
    static CopyLayout of(StridedView from, int srcSize, StridedView to, int dstSize) {
        if (!Arrays.equals(from.dims(), to.dims())) {
            throw new IllegalArgumentException("copy between views of different dims "
                    + Arrays.toString(from.dims()) + " and " + Arrays.toString(to.dims()));
        }
        checkInside(from, srcSize, "source");
        checkInside(to, dstSize, "destination");
        int[][] c = PlanPacking.collapse(from.dims(), from.strides(), to.strides());
        int[] dims = c[0], fs = c[1], ts = c[2];
        int r = dims.length;
        int np = 0;
        for (int d = 0; d < r; d++) {
            np += ts[d] != 0 ? 1 : 0;
        }
        int[] pd = new int[np], pf = new int[np], pt = new int[np];
        int[] sd = new int[r - np], sf = new int[r - np];
        int ip = 0, is = 0;
        for (int d = 0; d < r; d++) {
            if (ts[d] != 0) {
                pd[ip] = dims[d];
                pf[ip] = fs[d];
                pt[ip++] = ts[d];
            } else {
                sd[is] = dims[d];
                sf[is++] = fs[d];
            }
        }
        if (!injective(pd, pt)) {
            // one thread over everything: all dims "parallel", none serial
            PlanPacking.checkRank(r, "strided copy");
            return new CopyLayout(pack(dims, fs, ts, new int[0], new int[0], from.offset(), to.offset()), true,
                    product(dims));
        }
        PlanPacking.checkRank(np, "strided copy (parallel axes)");
        PlanPacking.checkRank(r - np, "strided copy (broadcast axes)");
        return new CopyLayout(pack(pd, pf, pt, sd, sf, from.offset(), to.offset()), false, product(pd));
    }

    /**
     * A sufficient test that distinct indices reach distinct offsets: sorted by |stride|, each
     * stride steps past everything the smaller ones can reach (like the strides of any permuted or
     * sliced contiguous tensor).
     */
    static boolean injective(int[] dims, int[] strides) {
        Integer[] order = new Integer[dims.length];
        for (int d = 0; d < dims.length; d++) {
            order[d] = d;
        }
        Arrays.sort(order, (x, y) -> Long.compare(Math.abs((long) strides[x]), Math.abs((long) strides[y])));
        long reach = 0;  // largest |offset| the dimensions so far can produce
        for (int d : order) {
            long s = Math.abs((long) strides[d]);
            if (dims[d] > 1 && s <= reach) {
                return false;
            }
            reach += (dims[d] - 1) * s;
        }
        return true;
    }

    private static int[] pack(int[] pd, int[] pf, int[] pt, int[] sd, int[] sf, int srcOffset, int dstOffset) {
        int m = PlanPacking.MAX_RANK;
        int[] p = new int[INTS];
        p[0] = pd.length;
        p[1] = sd.length;
        p[2] = product(pd);
        p[3] = product(sd);
        p[4] = srcOffset;
        p[5] = dstOffset;
        System.arraycopy(pd, 0, p, 6, pd.length);
        System.arraycopy(pf, 0, p, 6 + m, pd.length);
        System.arraycopy(pt, 0, p, 6 + 2 * m, pd.length);
        System.arraycopy(sd, 0, p, 6 + 3 * m, sd.length);
        System.arraycopy(sf, 0, p, 6 + 4 * m, sd.length);
        return p;
    }

    private static int product(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** Every offset of the view lies in [0, size): a bad view would otherwise fault the device. */
    private static void checkInside(StridedView v, int size, String what) {
        long lo = v.offset(), hi = v.offset();
        for (int d = 0; d < v.dims().length; d++) {
            if (v.dims()[d] == 0) {
                return;
            }
            long span = (long) (v.dims()[d] - 1) * v.strides()[d];
            lo += Math.min(0, span);
            hi += Math.max(0, span);
        }
        if (lo < 0 || hi >= size) {
            throw new IndexOutOfBoundsException("copy " + what + " view reaches offsets [" + lo + ", " + hi
                    + "] of a storage of " + size + " elements");
        }
    }
}
