package dev.distillery.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pool bookkeeping against a fake allocator: no device needed. */
class DevicePoolTest {

    /** Hands out increasing ids, tracks live ones, and can run out of a byte budget. */
    static final class FakeAllocator implements DeviceAllocator<Long> {
        final Set<Long> live = new HashSet<>();
        long budget;
        long used;
        long next = 1;
        int allocations;
        final java.util.Map<Long, Long> sizes = new java.util.HashMap<>();

        FakeAllocator(long budget) {
            this.budget = budget;
        }

        @Override
        public Long allocate(long bytes) {
            if (used + bytes > budget) {
                return null;
            }
            allocations++;
            used += bytes;
            long id = next++;
            live.add(id);
            sizes.put(id, bytes);
            return id;
        }

        @Override
        public void free(Long handle) {
            assertTrue(live.remove(handle), "double free of " + handle);
            used -= sizes.remove(handle);
        }
    }

    @Test
    void sizeClassesRoundTo512BytesThenQuarterOctaves() {
        assertEquals(512, DevicePool.sizeClass(0));
        assertEquals(512, DevicePool.sizeClass(1));
        assertEquals(512, DevicePool.sizeClass(512));
        assertEquals(1024, DevicePool.sizeClass(513));
        assertEquals(1L << 20, DevicePool.sizeClass(1L << 20));
        assertEquals(5L << 18, DevicePool.sizeClass((1L << 20) + 1));   // 1.25 MiB
        assertEquals(3L << 19, DevicePool.sizeClass((5L << 18) + 1));   // 1.5 MiB
        assertEquals(2L << 20, DevicePool.sizeClass((7L << 18) + 1));   // 2 MiB
        assertEquals(5L << 28, DevicePool.sizeClass((1L << 30) + 12345)); // 1.25 GiB
        for (long b = 1; b < (1L << 34); b = b * 3 + 7) {
            long c = DevicePool.sizeClass(b);
            assertTrue(c >= b && (b <= DevicePool.SMALL_LIMIT || c <= b * 1.25 + 1), "class " + c + " for " + b);
            assertEquals(c, DevicePool.sizeClass(c), "a class is its own class");
        }
        assertThrows(IllegalArgumentException.class, () -> DevicePool.sizeClass(-1));
    }

    @Test
    void releasedBlocksAreReusedForTheSameSizeClass() {
        FakeAllocator fake = new FakeAllocator(1L << 30);
        DevicePool<Long> pool = new DevicePool<>(fake);
        DevicePool.Block<Long> a = pool.acquire(1000);
        pool.release(a);
        DevicePool.Block<Long> b = pool.acquire(1020);  // same 1024-byte class
        assertSame(a.handle(), b.handle());
        DevicePool.Block<Long> c = pool.acquire(3000);  // different class: a new allocation
        assertEquals(2, fake.allocations);
        PoolStats s = pool.stats();
        assertEquals(1, s.hits());
        assertEquals(2, s.misses());
        assertEquals(1024 + 3072, s.bytesInUse());
        assertEquals(0, s.bytesCached());
        pool.release(b);
        pool.release(c);
        assertEquals(4096, pool.stats().bytesCached());
        assertEquals(2, pool.stats().blocksCached());
    }

    @Test
    void doubleReleaseIsANoOp() {
        DevicePool<Long> pool = new DevicePool<>(new FakeAllocator(1L << 20));
        DevicePool.Block<Long> a = pool.acquire(10);
        pool.release(a);
        pool.release(a);  // explicit close followed by the Cleaner
        assertEquals(1, pool.stats().blocksCached());
        assertEquals(0, pool.stats().blocksInUse());
    }

    @Test
    void trimFreesOnlyCachedBlocks() {
        FakeAllocator fake = new FakeAllocator(1L << 30);
        DevicePool<Long> pool = new DevicePool<>(fake);
        DevicePool.Block<Long> live = pool.acquire(100);
        pool.release(pool.acquire(5000));
        pool.release(pool.acquire(70_000));
        long freed = pool.trim();
        assertEquals(5120 + 70_144, freed);
        assertEquals(Set.of(live.handle()), fake.live);
        assertEquals(0, pool.stats().bytesCached());
        assertEquals(512, pool.stats().bytesInUse());
        assertEquals(1, pool.stats().trims());
    }

    @Test
    void outOfMemoryTrimsTheCacheAndRetriesOnce() {
        FakeAllocator fake = new FakeAllocator(8192);
        DevicePool<Long> pool = new DevicePool<>(fake);
        pool.release(pool.acquire(4096));
        pool.release(pool.acquire(2048));
        // 6 KiB cached of an 8 KiB device: a 4 KiB+ block fits only after trimming
        DevicePool.Block<Long> big = pool.acquire(5000);
        assertEquals(5120, big.bytes());
        assertEquals(1, pool.stats().trims());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.acquire(8192));
        assertTrue(e.getMessage().contains("out of memory"), e.getMessage());
    }

    @Test
    void cacheCapFreesInsteadOfCaching() {
        FakeAllocator fake = new FakeAllocator(1L << 30);
        DevicePool<Long> pool = new DevicePool<>(fake, 1024);
        DevicePool.Block<Long> a = pool.acquire(1024), b = pool.acquire(1024);
        pool.release(a);
        pool.release(b);  // would exceed the 1 KiB cap
        assertEquals(1024, pool.stats().bytesCached());
        assertEquals(1, fake.live.size());
    }
}
