package dev.distillery.autograd.backend;

/**
 * A strided window into a storage: element {@code (i_0, ..., i_{r-1})} lives at
 * {@code offset + sum_d i_d * strides[d]}. Used to copy between layouts (permute, slice, pad,
 * concat, expand) with one kernel.
 */
public record StridedView(int offset, int[] dims, int[] strides) {

    /** The contiguous row-major view of a whole buffer of the given dimensions. */
    public static StridedView contiguous(int[] dims) {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= dims[d];
        }
        return new StridedView(0, dims, s);
    }

    public int numel() {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /**
     * The same element pairing with fewer dimensions: size-1 dimensions dropped and each pair of
     * adjacent dimensions merged where both views step through it as one run ({@code stride[k-1]
     * = stride[k] dims[k]} in each). Row-major order is unchanged, so a copy or an accumulation
     * over the result visits the same pairs in the same order; a concatenation along channels then
     * moves whole images per run rather than one image row. Both views must have the same dims.
     *
     * @return {@code {from', to'}}, rank at least one
     */
    public static StridedView[] coalesced(StridedView from, StridedView to) {
        int r = from.dims.length;
        int[] dims = new int[Math.max(r, 1)];
        int[] fs = new int[dims.length];
        int[] ts = new int[dims.length];
        int n = 0;
        for (int k = 0; k < r; k++) {
            int d = from.dims[k];
            if (d == 1) {
                continue;
            }
            if (n > 0 && fs[n - 1] == from.strides[k] * d && ts[n - 1] == to.strides[k] * d) {
                dims[n - 1] *= d;
                fs[n - 1] = from.strides[k];
                ts[n - 1] = to.strides[k];
            } else {
                dims[n] = d;
                fs[n] = from.strides[k];
                ts[n] = to.strides[k];
                n++;
            }
        }
        if (n == 0) {
            dims[0] = 1;
            n = 1;
        }
        return new StridedView[] {
            new StridedView(from.offset, java.util.Arrays.copyOf(dims, n), java.util.Arrays.copyOf(fs, n)),
            new StridedView(to.offset, java.util.Arrays.copyOf(dims, n), java.util.Arrays.copyOf(ts, n))};
    }

    /** Storage offset of the element with row-major linear index {@code linear}. */
    public int offsetOf(int linear) {
        int off = offset;
        for (int d = dims.length - 1; d >= 0; d--) {
            int q = linear / dims[d];
            off += (linear - q * dims[d]) * strides[d];
            linear = q;
        }
        return off;
    }
}
