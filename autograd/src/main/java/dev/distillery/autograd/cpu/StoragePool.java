package dev.distillery.autograd.cpu;

import dev.distillery.autograd.DType;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Recycled host storages, by dtype and length, for {@link HostBackend#allocate} to reuse while
 * their arrays are still in cache: a training step allocates the same sizes every step, and a
 * fresh JVM array is zeroed in memory that is usually not in cache (PyTorch's caching allocator
 * exists for the same reason). Bounded: beyond {@code capacityBytes} a given-back storage is left
 * to the garbage collector. Small storages are not pooled (the JVM allocates them cheaply).
 */
final class StoragePool {
    /** Storages shorter than this are not pooled. */
    static final int MIN_LENGTH = 1 << 12;

    /** Equality and hash written out: the generated record methods went through a method handle per call. */
    private record Key(DType dtype, int length) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.length == length && k.dtype == dtype;
        }

        @Override
        public int hashCode() {
            return 31 * length + dtype.ordinal();
        }
    }

    private final long capacityBytes;
    private long bytes;
    private final Map<Key, ArrayDeque<HostStorage>> free = new HashMap<>();

    StoragePool(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** A recycled storage of this dtype and length (its array as it was left), or null. */
    synchronized HostStorage take(DType dtype, int n) {
        ArrayDeque<HostStorage> q = free.get(new Key(dtype, n));
        HostStorage s = q == null ? null : q.pollLast();
        if (s != null) {
            bytes -= sizeOf(s);
        }
        return s;
    }

    /** Keeps {@code s} for reuse, if it is large enough and the pool has room. */
    synchronized void give(HostStorage s) {
        long b = sizeOf(s);
        if (s.size() < MIN_LENGTH || bytes + b > capacityBytes) {
            return;
        }
        bytes += b;
        free.computeIfAbsent(new Key(s.dtype(), s.size()), k -> new ArrayDeque<>()).addLast(s);
    }

    /** Bytes held. */
    synchronized long bytes() {
        return bytes;
    }

    private static long sizeOf(HostStorage s) {
        return (s.dtype() == DType.F32 ? 4L : 8L) * s.size();
    }
}
