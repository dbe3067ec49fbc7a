package dev.distillery.autograd.cpu;

import dev.distillery.autograd.DType;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Arrays of recycled host storages, by dtype and length, for {@link HostBackend#allocate} to reuse
 * while they are still in cache: a training step allocates the same sizes every step, and a
 * fresh JVM array is zeroed in memory that is usually not in cache (PyTorch's caching allocator
 * exists for the same reason). Bounded: beyond {@code capacityBytes} a given-back array is left
 * to the garbage collector. Small arrays are not pooled (the JVM allocates them cheaply).
 */
final class StoragePool {
    /** Arrays shorter than this are not pooled. */
    static final int MIN_LENGTH = 1 << 12;

    private final long capacityBytes;
    private long bytes;
    private final Map<Integer, ArrayDeque<float[]>> floats = new HashMap<>();
    private final Map<Integer, ArrayDeque<double[]>> doubles = new HashMap<>();

    StoragePool(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** A zero-filled float array of length n from the pool, or null. */
    synchronized float[] takeFloats(int n) {
        ArrayDeque<float[]> q = floats.get(n);
        float[] a = q == null ? null : q.pollLast();
        if (a == null) {
            return null;
        }
        bytes -= 4L * n;
        java.util.Arrays.fill(a, 0.0f);
        return a;
    }

    /** A zero-filled double array of length n from the pool, or null. */
    synchronized double[] takeDoubles(int n) {
        ArrayDeque<double[]> q = doubles.get(n);
        double[] a = q == null ? null : q.pollLast();
        if (a == null) {
            return null;
        }
        bytes -= 8L * n;
        java.util.Arrays.fill(a, 0.0);
        return a;
    }

    /** Keeps the array of {@code s} for reuse, if it is large enough and the pool has room. */
    synchronized void give(HostStorage s) {
        int n = s.size();
        boolean single = s.dtype() == DType.F32;
        long b = (single ? 4L : 8L) * n;
        if (n < MIN_LENGTH || bytes + b > capacityBytes) {
            return;
        }
        bytes += b;
        if (single) {
            floats.computeIfAbsent(n, k -> new ArrayDeque<>()).addLast(s.f32());
        } else {
            doubles.computeIfAbsent(n, k -> new ArrayDeque<>()).addLast(s.f64());
        }
    }

    /** Bytes held. */
    synchronized long bytes() {
        return bytes;
    }
}
