package dev.distillery.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.gpu.LaunchConfig.ReduceStrategy;
import org.junit.jupiter.api.Test;

/** Launch geometry arithmetic, including the edge tiles of GEMM. */
class LaunchConfigTest {

    @Test
    void oneDimensionalGridsCoverNOrCapAndGridStride() {
        assertEquals(1, LaunchConfig.blocks(0));
        assertEquals(1, LaunchConfig.blocks(1));
        assertEquals(1, LaunchConfig.blocks(256));
        assertEquals(2, LaunchConfig.blocks(257));
        assertEquals(LaunchConfig.MAX_BLOCKS, LaunchConfig.blocks(Integer.MAX_VALUE));
        for (long n : new long[] {1, 255, 256, 1000, 65_535L * 256, 65_535L * 256 + 1, 1L << 31}) {
            long threads = (long) LaunchConfig.blocks(n) * LaunchConfig.BLOCK;
            // either every element has its own thread, or the cap is hit and the loop strides
            assertTrue(threads >= n || LaunchConfig.blocks(n) == LaunchConfig.MAX_BLOCKS, "n = " + n);
        }
    }

    @Test
    void gemmGridTilesEdgesWithPartialTiles() {
        assertArrayEquals(new int[] {1, 1}, LaunchConfig.gemmGrid(1, 1));
        assertArrayEquals(new int[] {1, 1}, LaunchConfig.gemmGrid(64, 64));
        assertArrayEquals(new int[] {2, 1}, LaunchConfig.gemmGrid(64, 65));
        assertArrayEquals(new int[] {2, 2}, LaunchConfig.gemmGrid(70, 65));
        assertArrayEquals(new int[] {16, 8}, LaunchConfig.gemmGrid(512, 1024));
        assertArrayEquals(new int[] {1, 1}, LaunchConfig.gemmGrid(0, 0));
        for (int m = 1; m < 300; m += 7) {
            for (int n = 1; n < 300; n += 11) {
                int[] g = LaunchConfig.gemmGrid(m, n);
                // the last tile starts inside the matrix and the tiles cover it
                assertTrue((g[0] - 1) * 64 < n && g[0] * 64 >= n);
                assertTrue((g[1] - 1) * 64 < m && g[1] * 64 >= m);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.gemmGrid(65_536 * 64, 4));
    }

    @Test
    void gemmBatchesBeyondGridZAreChunked() {
        assertEquals(1, LaunchConfig.gemmBatchChunk(1));
        assertEquals(65_535, LaunchConfig.gemmBatchChunk(100_000));
    }

    @Test
    void reduceStrategyDependsOnThePlanOnly() {
        assertEquals(ReduceStrategy.THREAD_PER_OUTPUT, LaunchConfig.reduceStrategy(1000, 7));
        assertEquals(ReduceStrategy.THREAD_PER_OUTPUT, LaunchConfig.reduceStrategy(100_000, 5000));
        assertEquals(ReduceStrategy.BLOCK_PER_OUTPUT, LaunchConfig.reduceStrategy(1, 1_000_000));
        assertEquals(ReduceStrategy.BLOCK_PER_OUTPUT, LaunchConfig.reduceStrategy(128, 64));
        assertEquals(65_535, LaunchConfig.reduceBlocks(1 << 20));
        assertEquals(3, LaunchConfig.reduceBlocks(3));
    }
}
