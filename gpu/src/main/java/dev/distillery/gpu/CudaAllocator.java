package dev.distillery.gpu;

import jcuda.CudaException;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/** {@code cuMemAlloc}/{@code cuMemFree} in the backend's context, for {@link DevicePool}. */
final class CudaAllocator implements DeviceAllocator<CUdeviceptr> {
    private final CudaContext context;

    CudaAllocator(CudaContext context) {
        this.context = context;
    }

    @Override
    public CUdeviceptr allocate(long bytes) {
        context.makeCurrent();
        CUdeviceptr p = new CUdeviceptr();
        try {
            JCudaDriver.cuMemAlloc(p, bytes);
        } catch (CudaException e) {
            if (e.getMessage() != null && e.getMessage().contains(CUresult.stringFor(CUresult.CUDA_ERROR_OUT_OF_MEMORY))) {
                return null;
            }
            throw e;
        }
        return p;
    }

    @Override
    public void free(CUdeviceptr handle) {
        // may run on the Cleaner's thread (cache cap) or any caller of trim(): bind the context first
        // and wait for queued kernels: a block released a moment ago may still be read by one
        context.makeCurrent();
        JCudaDriver.cuCtxSynchronize();
        JCudaDriver.cuMemFree(handle);
    }
}
