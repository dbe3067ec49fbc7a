package dev.distillery.gpu;

/**
 * The raw device allocator under {@link DevicePool}: {@code cuMemAlloc}/{@code cuMemFree} on a GPU,
 * a counter in tests. Keeping it an interface lets the pool's bookkeeping be tested without a
 * device.
 *
 * @param <H> the handle type of one allocation (a {@code CUdeviceptr} on the device)
 */
public interface DeviceAllocator<H> {

    /**
     * Allocates {@code bytes} bytes of device memory.
     *
     * @return the handle, or {@code null} when the device is out of memory (the pool then frees
     *     its cache and retries once); other failures throw
     */
    H allocate(long bytes);

    /** Frees an allocation made by {@link #allocate}. */
    void free(H handle);
}
