package dev.distillery.autograd.backend;

/**
 * How to walk inputs broadcast to an output: the output (contiguous, row-major) has dimensions
 * {@code dims}; input {@code i} is read at {@code sum_d index[d] * strides[i][d]}. Adjacent
 * dimensions that are contiguous in every operand are collapsed, so a same-shape operation has
 * rank 1 and a bias add has rank 2.
 */
public record ElementwisePlan(int[] dims, int[][] strides, int numel) {

    /** Builds a collapsed plan for an output of {@code outDims} and per-input broadcast strides. */
    public static ElementwisePlan of(int[] outDims, int[]... inputStrides) {
        int r = outDims.length;
        int n = 1;
        for (int d : outDims) {
            n *= d;
        }
        // drop size-1 dimensions, then merge neighbours that are contiguous for every operand
        int[] dims = new int[r];
        int[][] st = new int[inputStrides.length][r];
        int k = 0;
        for (int d = 0; d < r; d++) {
            if (outDims[d] == 1) {
                continue;
            }
            boolean merge = k > 0;
            for (int i = 0; i < inputStrides.length && merge; i++) {
                merge = st[i][k - 1] == inputStrides[i][d] * outDims[d];
            }
            if (merge) {
                dims[k - 1] *= outDims[d];
                for (int i = 0; i < inputStrides.length; i++) {
                    st[i][k - 1] = inputStrides[i][d];
                }
            } else {
                dims[k] = outDims[d];
                for (int i = 0; i < inputStrides.length; i++) {
                    st[i][k] = inputStrides[i][d];
                }
                k++;
            }
        }
        if (k == 0) {
            int[] one = {1};
            int[][] s1 = new int[inputStrides.length][1];
            return new ElementwisePlan(one, s1, n);
        }
        int[] cd = java.util.Arrays.copyOf(dims, k);
        int[][] cs = new int[inputStrides.length][];
        for (int i = 0; i < inputStrides.length; i++) {
            cs[i] = java.util.Arrays.copyOf(st[i], k);
        }
        return new ElementwisePlan(cd, cs, n);
    }

    public int rank() {
        return dims.length;
    }

    /** Offset of element {@code linear} (row-major over {@link #dims}) in input {@code input}. */
    public int offset(int input, int linear) {
        int off = 0;
        int[] s = strides[input];
        for (int d = dims.length - 1; d >= 0; d--) {
            int q = linear / dims[d];
            off += (linear - q * dims[d]) * s[d];
            linear = q;
        }
        return off;
    }
}
