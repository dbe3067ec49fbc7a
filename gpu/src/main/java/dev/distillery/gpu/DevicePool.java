package dev.distillery.gpu;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A caching allocator of device memory. {@code cuMemAlloc} and {@code cuMemFree} are slow (they
 * may synchronize the device), while training allocates and drops tensors of the same few sizes
 * every step; so freed blocks are kept in per-size-class free lists and handed out again.
 *
 * <p>Size classes: requests round up to a multiple of 512 bytes up to 1 MiB (small tensors: little
 * waste, few classes), and above that to a quarter of their power-of-two octave (1.25, 1.5, 1.75,
 * 2 MiB, ...), so a cached block wastes at most 25% and similar large sizes share a class.
 *
 * <p>All methods are thread-safe; {@link #release} is idempotent, because a block may be released
 * both explicitly and by the {@link java.lang.ref.Cleaner} of an unreachable storage. Blocks are
 * reused in stream order: every kernel and copy of the CUDA backend runs on one stream, so work
 * that used a block before its release completes before work that uses it after.
 *
 * @param <H> handle type of the underlying allocator
 */
public final class DevicePool<H> {
    /** Requests up to this size round to multiples of {@link #SMALL_GRANULE}. */
    public static final long SMALL_LIMIT = 1L << 20;
    /** Granule of small size classes. */
    public static final long SMALL_GRANULE = 512;

    private final DeviceAllocator<H> allocator;
    private final long maxCachedBytes;
    private final Map<Long, ArrayDeque<Block<H>>> free = new TreeMap<>();
    private long bytesInUse;
    private long bytesCached;
    private long blocksInUse;
    private long blocksCached;
    private long hits;
    private long misses;
    private long trims;

    /** A pool that caches without limit (until {@link #trim} or an allocation failure). */
    public DevicePool(DeviceAllocator<H> allocator) {
        this(allocator, Long.MAX_VALUE);
    }

    /** A pool that frees released blocks instead of caching them once the cache holds the cap. */
    public DevicePool(DeviceAllocator<H> allocator, long maxCachedBytes) {
        this.allocator = allocator;
        this.maxCachedBytes = maxCachedBytes;
    }

    /** One allocation handed out by the pool; {@link #bytes} is its size class. */
    public static final class Block<H> {
        private final H handle;
        private final long bytes;
        private boolean inUse = true;

        private Block(H handle, long bytes) {
            this.handle = handle;
            this.bytes = bytes;
        }

        /** The device allocation. */
        public H handle() {
            return handle;
        }

        /** Capacity in bytes (the size class, at least what was asked for). */
        public long bytes() {
            return bytes;
        }
    }

    /** The size class a request of {@code bytes} is served from (at least one granule). */
    public static long sizeClass(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative allocation size " + bytes);
        }
        if (bytes <= SMALL_LIMIT) {
            return Math.max(SMALL_GRANULE, roundUp(bytes, SMALL_GRANULE));
        }
        long step = Long.highestOneBit(bytes - 1) / 4;
        return roundUp(bytes, step);
    }

    private static long roundUp(long x, long step) {
        return (x + step - 1) / step * step;
    }

    /**
     * A block of at least {@code bytes} bytes, from the cache when one of its size class is free.
     * When the device is out of memory the cache is freed and the allocation retried once.
     *
     * @throws IllegalStateException when the device has no room even after freeing the cache
     */
    public synchronized Block<H> acquire(long bytes) {
        long cls = sizeClass(bytes);
        ArrayDeque<Block<H>> list = free.get(cls);
        Block<H> b;
        if (list != null && !list.isEmpty()) {
            b = list.pop();
            hits++;
            bytesCached -= cls;
            blocksCached--;
            b.inUse = true;
        } else {
            misses++;
            H h = allocator.allocate(cls);
            if (h == null) {
                trimLocked();
                h = allocator.allocate(cls);
            }
            if (h == null) {
                throw new IllegalStateException("CUDA device out of memory allocating " + cls + " bytes ("
                        + bytesInUse + " bytes in use by live tensors); free tensors (close them or drop "
                        + "references) or use a smaller batch");
            }
            b = new Block<>(h, cls);
        }
        bytesInUse += cls;
        blocksInUse++;
        return b;
    }

    /** Returns a block to the cache (or frees it beyond the cache cap). Releasing twice is a no-op. */
    public void release(Block<H> b) {
        H toFree = null;
        synchronized (this) {
            if (!b.inUse) {
                return;
            }
            b.inUse = false;
            bytesInUse -= b.bytes;
            blocksInUse--;
            if (bytesCached + b.bytes > maxCachedBytes) {
                toFree = b.handle;
            } else {
                free.computeIfAbsent(b.bytes, k -> new ArrayDeque<>()).push(b);
                bytesCached += b.bytes;
                blocksCached++;
            }
        }
        if (toFree != null) {
            allocator.free(toFree);
        }
    }

    /** Frees every cached block back to the device; returns the bytes freed. Live blocks stay. */
    public synchronized long trim() {
        return trimLocked();
    }

    private long trimLocked() {
        long freed = bytesCached;
        List<H> handles = new ArrayList<>();
        for (ArrayDeque<Block<H>> list : free.values()) {
            for (Block<H> b : list) {
                handles.add(b.handle);
            }
        }
        free.clear();
        bytesCached = 0;
        blocksCached = 0;
        trims++;
        for (H h : handles) {
            allocator.free(h);
        }
        return freed;
    }

    /** Current counters. */
    public synchronized PoolStats stats() {
        return new PoolStats(bytesInUse, bytesCached, blocksInUse, blocksCached, hits, misses, trims);
    }
}
