package dev.distillery.autograd;

/**
 * What {@link Tensor#maxPool2dWithIndices} returns: the pooled {@code output [B, C, H_out, W_out]}
 * and, of the same shape, the {@code indices} of the maxima as PyTorch's {@code return_indices=True}
 * gives them: for each output element the flat index {@code iy * W + ix} of its maximum within its
 * own {@code (b, c)} plane of the input. The index tensor holds these integers as values of the
 * input's dtype (exact: F32 pooling refuses planes beyond 2^24 elements) and carries no gradient;
 * {@link #flatIndices()} gives them as PyTorch's int64.
 */
public record Pooled(Tensor output, Tensor indices) {

    /** The indices as {@code long}s in row-major order of the output, as torch's int64 tensor holds them. */
    public long[] flatIndices() {
        double[] v = indices.toDoubleArray();
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (long) v[i];
        }
        return out;
    }
}
