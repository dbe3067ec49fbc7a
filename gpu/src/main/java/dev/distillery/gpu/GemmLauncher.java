package dev.distillery.gpu;

import dev.distillery.autograd.backend.MatmulPlan;
import jcuda.driver.CUdeviceptr;

/**
 * Launches gemm.cu for a {@link MatmulPlan}: validates the extents, passes affine batch offsets as
 * a stride (the common contiguous stack) or uploads the offset table (broadcast batches), and
 * splits batches beyond CUDA's 65535 grid-z limit into several launches.
 */
final class GemmLauncher {
    private GemmLauncher() {
    }

    static void run(CudaContext ctx, CudaBackend backend, CudaStorage a, CudaStorage b, CudaStorage c, MatmulPlan p) {
        CudaBackend.sameDtype(c, a, b);
        checkOffsets(a, p.aOffsets(), p.batch(), p.transA() ? p.k() : p.m(), p.lda(), "A");
        checkOffsets(b, p.bOffsets(), p.batch(), p.transB() ? p.n() : p.k(), p.ldb(), "B");
        CudaBackend.requireSize(c, (long) p.batch() * p.m() * p.n(), "matmul C");
        if ((long) p.batch() * p.m() * p.n() == 0) {
            return;
        }
        int aStride = PlanPacking.affineStride(p.aOffsets());
        int bStride = PlanPacking.affineStride(p.bOffsets());
        DevicePool.Block<CUdeviceptr> aTable = aStride < 0 ? backend.uploadInts(p.aOffsets()) : null;
        DevicePool.Block<CUdeviceptr> bTable = bStride < 0 ? backend.uploadInts(p.bOffsets()) : null;
        try {
            // affine: base pointer at batch 0's offset, batch b at b * stride; table: offsets as given
            CUdeviceptr aBase = aTable == null ? a.pointer(p.aOffsets()[0]) : a.pointer();
            CUdeviceptr bBase = bTable == null ? b.pointer(p.bOffsets()[0]) : b.pointer();
            int[] grid = LaunchConfig.gemmGrid(p.m(), p.n());
            int chunk = LaunchConfig.gemmBatchChunk(p.batch());
            String kernel = "gemm_" + CudaBackend.suffix(c.dtype());
            for (int base = 0; base < p.batch(); base += chunk) {
                int z = Math.min(chunk, p.batch() - base);
                int[] g = PlanPacking.gemm(p, Math.max(aStride, 0), Math.max(bStride, 0), base);
                ctx.launch(kernel, grid[0], grid[1], z, LaunchConfig.GEMM_THREADS, aBase, bBase, c.pointer(),
                        aTable == null ? null : aTable.handle(), bTable == null ? null : bTable.handle(), g);
            }
        } finally {
            if (aTable != null) {
                backend.releaseInts(aTable);
            }
            if (bTable != null) {
                backend.releaseInts(bTable);
            }
        }
        CudaBackend.alive(a, b, c);
    }

    /** Every batch's matrix (rows x ld as stored) lies inside the storage. */
    private static void checkOffsets(CudaStorage s, int[] offsets, int batch, int rows, int ld, String name) {
        if (offsets.length < batch) {
            throw new IllegalArgumentException("matmul plan has " + offsets.length + " " + name + " offsets for "
                    + batch + " batches");
        }
        long extent = (long) rows * ld;
        for (int i = 0; i < batch; i++) {
            if (offsets[i] < 0 || offsets[i] + extent > s.size()) {
                throw new IndexOutOfBoundsException("matmul " + name + " batch " + i + " spans [" + offsets[i] + ", "
                        + (offsets[i] + extent) + ") of a storage of " + s.size() + " elements");
            }
        }
    }
}
