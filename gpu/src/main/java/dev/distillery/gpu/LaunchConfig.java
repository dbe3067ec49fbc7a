package dev.distillery.gpu;

/**
 * Launch geometry of the kernels, in one place so it can be tested without a device. The constants
 * must match the {@code #define}s of the CUDA sources (named beside each).
 *
 * <p>Elementwise and movement kernels use grid-stride loops, so a grid smaller than the problem is
 * still correct; the grid is capped at {@link #MAX_BLOCKS}, which keeps every GPU busy while
 * leaving the geometry (and so the results) independent of the device.
 */
final class LaunchConfig {
    /** Threads per block of the 1-D kernels. */
    static final int BLOCK = 256;
    /** Cap on 1-D grids (grid-stride loops cover the rest). */
    static final int MAX_BLOCKS = 65_535;
    /** {@code REDUCE_THREADS} in reduce.cu. */
    static final int REDUCE_THREADS = 256;
    /** {@code TILE_M} and {@code TILE_N} in gemm.cu. */
    static final int GEMM_TILE = 64;
    /** {@code GEMM_THREADS} in gemm.cu. */
    static final int GEMM_THREADS = 256;
    /** CUDA's limit on gridDim.y and gridDim.z. */
    static final int MAX_GRID_YZ = 65_535;
    /** Below this many reduced elements per output, one thread per output beats one block. */
    static final int REDUCE_THREAD_INNER = 64;
    /** From this many outputs on, one thread per output already fills the device. */
    static final int REDUCE_THREAD_OUTER = 8_192;

    private LaunchConfig() {
    }

    /** Blocks of {@link #BLOCK} threads for a grid-stride loop over n elements (at least 1). */
    static int blocks(long n) {
        long b = (n + BLOCK - 1) / BLOCK;
        return (int) Math.max(1, Math.min(b, MAX_BLOCKS));
    }

    /** The two deterministic reduction kernels of reduce.cu. */
    enum ReduceStrategy {
        /** {@code reduce_block_*}: a block per output, fixed tree over 256 partial sums. */
        BLOCK_PER_OUTPUT,
        /** {@code reduce_thread_*}: a thread per output, sequential in the oracle's order. */
        THREAD_PER_OUTPUT
    }

    /**
     * The strategy for a reduction: a function of the plan only (never of the device or load), so
     * the same plan always gives the same bits.
     */
    static ReduceStrategy reduceStrategy(int outer, int inner) {
        if (inner < REDUCE_THREAD_INNER || outer >= REDUCE_THREAD_OUTER) {
            return ReduceStrategy.THREAD_PER_OUTPUT;
        }
        return ReduceStrategy.BLOCK_PER_OUTPUT;
    }

    /** Grid of {@code reduce_block}: one block per output, grid-striding beyond the cap. */
    static int reduceBlocks(int outer) {
        return Math.max(1, Math.min(outer, MAX_BLOCKS));
    }

    /**
     * GEMM grid {@code (x, y)}: x tiles the n columns of C, y its m rows; edge tiles are partial
     * (the kernel masks rows >= m and columns >= n).
     *
     * @throws IllegalArgumentException when m needs more than 65535 row tiles
     */
    static int[] gemmGrid(int m, int n) {
        int x = Math.max(1, ceilDiv(n, GEMM_TILE));
        int y = Math.max(1, ceilDiv(m, GEMM_TILE));
        if (y > MAX_GRID_YZ) {
            throw new IllegalArgumentException("matmul with m = " + m + " rows exceeds the CUDA grid ("
                    + MAX_GRID_YZ * GEMM_TILE + " rows at most); split the product");
        }
        return new int[] {x, y};
    }

    /** Batches per GEMM launch: gridDim.z holds at most 65535, larger batches launch in chunks. */
    static int gemmBatchChunk(int batch) {
        return Math.min(batch, MAX_GRID_YZ);
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
