package dev.distillery.autograd.backend;

/**
 * A reduction over some axes of a contiguous input. The output is contiguous with
 * {@code outer} elements; output element {@code o} reduces the {@code inner} input elements
 * {@code base(o) + offset(r)}, {@code r = 0..inner-1}, in increasing r (a fixed order, so results
 * do not depend on the number of threads).
 *
 * @param keptDims      sizes of the kept axes, in input order
 * @param keptStrides   input strides of the kept axes
 * @param reducedDims   sizes of the reduced axes, in input order
 * @param reducedStrides input strides of the reduced axes
 */
public record ReducePlan(int[] keptDims, int[] keptStrides, int[] reducedDims, int[] reducedStrides,
                         int outer, int inner) {

    public static ReducePlan of(int[] inDims, boolean[] reduce) {
        int r = inDims.length;
        int[] strides = new int[r];
        int acc = 1;
        for (int d = r - 1; d >= 0; d--) {
            strides[d] = acc;
            acc *= inDims[d];
        }
        int nk = 0;
        for (boolean b : reduce) {
            nk += b ? 0 : 1;
        }
        int[] kd = new int[nk], ks = new int[nk], rd = new int[r - nk], rs = new int[r - nk];
        int outer = 1, inner = 1, ik = 0, ir = 0;
        for (int d = 0; d < r; d++) {
            if (reduce[d]) {
                rd[ir] = inDims[d];
                rs[ir++] = strides[d];
                inner *= inDims[d];
            } else {
                kd[ik] = inDims[d];
                ks[ik++] = strides[d];
                outer *= inDims[d];
            }
        }
        return new ReducePlan(kd, ks, rd, rs, outer, inner);
    }

    /** Input offset of the first element reduced into output element {@code o}. */
    public int base(int o) {
        return unravel(o, keptDims, keptStrides);
    }

    /** Input offset, relative to {@link #base}, of the r-th reduced element. */
    public int offset(int r) {
        return unravel(r, reducedDims, reducedStrides);
    }

    /** True when the reduced elements of one output are adjacent in memory (the fast case). */
    public boolean innerContiguous() {
        int expect = 1;
        for (int d = reducedDims.length - 1; d >= 0; d--) {
            if (reducedDims[d] != 1 && reducedStrides[d] != expect) {
                return false;
            }
            expect *= reducedDims[d];
        }
        return true;
    }

    private static int unravel(int linear, int[] dims, int[] strides) {
        int off = 0;
        for (int d = dims.length - 1; d >= 0; d--) {
            int q = linear / dims[d];
            off += (linear - q * dims[d]) * strides[d];
            linear = q;
        }
        return off;
    }
}
