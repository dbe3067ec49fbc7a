package dev.distillery.gpu;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.Storage;
import java.lang.ref.Cleaner;
import jcuda.driver.CUdeviceptr;

/**
 * A contiguous buffer in device memory: a block of the {@link DevicePool}, its element count and
 * dtype. Java has no destructors, so the block goes back to the pool either by {@link #close()}
 * (deterministic, preferred in loops) or, once the storage is unreachable, by a {@link Cleaner}
 * action; both paths are idempotent. Using a closed storage throws instead of touching memory
 * another tensor may own by now.
 */
public final class CudaStorage implements Storage, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaBackend backend;
    private final DType dtype;
    private final int size;
    private final DevicePool.Block<CUdeviceptr> block;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;

    CudaStorage(CudaBackend backend, DType dtype, int size, DevicePool<CUdeviceptr> pool,
                DevicePool.Block<CUdeviceptr> block) {
        this.backend = backend;
        this.dtype = dtype;
        this.size = size;
        this.block = block;
        // the action must not reference this storage, or it would never become unreachable
        this.cleanable = CLEANER.register(this, new Release(pool, block));
    }

    /** Returns the block to the pool; holds no reference to the storage. */
    private record Release(DevicePool<CUdeviceptr> pool, DevicePool.Block<CUdeviceptr> block) implements Runnable {
        @Override
        public void run() {
            pool.release(block);
        }
    }

    /** Casts a storage known to belong to a CUDA backend, with a clear error otherwise. */
    static CudaStorage of(Storage s) {
        if (s instanceof CudaStorage c) {
            return c;
        }
        throw new IllegalArgumentException("storage of backend '" + s.backend().name()
                + "' passed to a CUDA kernel; move the tensor to the cuda backend first");
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /** Bytes of data ({@code size * dtype.byteSize()}); the block may be larger. */
    public long bytes() {
        return (long) size * dtype.byteSize();
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() {
        return closed;
    }

    /** The device address; throws once closed. */
    CUdeviceptr pointer() {
        if (closed) {
            throw new IllegalStateException("CUDA storage used after close()");
        }
        return block.handle();
    }

    /** The address of element {@code index}. */
    CUdeviceptr pointer(long index) {
        return pointer().withByteOffset(index * dtype.byteSize());
    }

    /** Returns the device memory to the pool now. Idempotent. */
    @Override
    public void close() {
        closed = true;
        cleanable.clean();
    }
}
