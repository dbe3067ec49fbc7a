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
