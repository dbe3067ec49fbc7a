package dev.distillery.autograd.cpu;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.Storage;

/**
 * A storage in JVM heap memory: a {@code float[]} for F32 or a {@code double[]} for F64 (exactly
 * one is non-null). Shared by the CPU backends, so tensors move between them without copies.
 */
public final class HostStorage implements Storage {
    private final Backend backend;
    private final float[] f32;
    private final double[] f64;

    private HostStorage(Backend backend, float[] f32, double[] f64) {
        this.backend = backend;
        this.f32 = f32;
        this.f64 = f64;
    }

    public static HostStorage allocate(Backend backend, DType dtype, int n) {
        return dtype == DType.F32 ? new HostStorage(backend, new float[n], null)
                : new HostStorage(backend, null, new double[n]);
    }

    /** Wraps (does not copy) an array. */
    public static HostStorage wrap(Backend backend, float[] data) {
        return new HostStorage(backend, data, null);
    }

    /** Wraps (does not copy) an array. */
    public static HostStorage wrap(Backend backend, double[] data) {
        return new HostStorage(backend, null, data);
    }

    /** A new storage over the same array (a recycled array handed out again). */
    HostStorage rewrapped() {
        return new HostStorage(backend, f32, f64);
    }

    /** Casts a storage known to be on a CPU backend, with a clear error otherwise. */
    public static HostStorage of(Storage s) {
        if (s instanceof HostStorage h) {
            return h;
        }
        throw new IllegalArgumentException("storage of backend '" + s.backend().name()
                + "' passed to a CPU kernel; move the tensor to the CPU first");
    }

    @Override
    public DType dtype() {
        return f32 != null ? DType.F32 : DType.F64;
    }

    @Override
    public int size() {
        return f32 != null ? f32.length : f64.length;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /** The backing array for F32 data; throws for F64. */
    public float[] f32() {
        if (f32 == null) {
            throw new IllegalStateException("F64 storage read as F32");
        }
        return f32;
    }

    /** The backing array for F64 data; throws for F32. */
    public double[] f64() {
        if (f64 == null) {
            throw new IllegalStateException("F32 storage read as F64");
        }
        return f64;
    }

    public double get(int i) {
        return f32 != null ? f32[i] : f64[i];
    }

    public void set(int i, double v) {
        if (f32 != null) {
            f32[i] = (float) v;
        } else {
            f64[i] = v;
        }
    }
}
