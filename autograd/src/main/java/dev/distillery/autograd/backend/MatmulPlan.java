package dev.distillery.autograd.backend;

/**
 * A batch of matrix products {@code C_b = op(A_b) op(B_b)} with {@code op(A)} of size m x k,
 * {@code op(B)} k x n and C m x n, all row-major. {@code op} transposes when the flag is set: a
 * transposed A is stored k x m. Batch b reads A at {@code aOffsets[b]} and B at
 * {@code bOffsets[b]} (broadcast batches repeat an offset) and writes C at {@code b * m * n}.
 * Every element of C is one dot product accumulated over k in increasing order per backend-fixed
 * blocking, so the result does not depend on the thread count.
 */
public record MatmulPlan(int batch, int m, int n, int k, boolean transA, boolean transB,
                         int[] aOffsets, int[] bOffsets) {

    /** One unbatched product. */
    public static MatmulPlan single(int m, int n, int k, boolean transA, boolean transB) {
        return new MatmulPlan(1, m, n, k, transA, transB, new int[] {0}, new int[] {0});
    }

    /** Leading dimension (row length) of A as stored. */
    public int lda() {
        return transA ? m : k;
    }

    /** Leading dimension (row length) of B as stored. */
    public int ldb() {
        return transB ? k : n;
    }

    public long flops() {
        return 2L * batch * m * n * k;
    }
}
