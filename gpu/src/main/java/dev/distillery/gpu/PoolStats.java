package dev.distillery.gpu;

/**
 * A snapshot of {@link DevicePool} counters.
 *
 * @param bytesInUse   bytes of blocks held by live storages (rounded up to size classes)
 * @param bytesCached  bytes of freed blocks kept for reuse
 * @param blocksInUse  number of blocks held by live storages
 * @param blocksCached number of freed blocks kept for reuse
 * @param hits         acquisitions served from the cache
 * @param misses       acquisitions that called the device allocator
 * @param trims        times the cache was emptied (explicitly, or to retry an allocation)
 */
public record PoolStats(long bytesInUse, long bytesCached, long blocksInUse, long blocksCached,
                        long hits, long misses, long trims) {

    /** Bytes this pool holds from the device: in use plus cached. */
    public long bytesReserved() {
        return bytesInUse + bytesCached;
    }
}
