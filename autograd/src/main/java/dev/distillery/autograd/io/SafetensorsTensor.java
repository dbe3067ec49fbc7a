package dev.distillery.autograd.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor's values in row-major order, independent of {@code Tensor} and of any backend:
 * either a {@code float[]} (read from F32, or widened from F16 / BF16) or a {@code double[]}
 * (F64). {@code dtype()} says what the file held; writing stores {@code float[]} as F32 and
 * {@code double[]} as F64. The arrays are shared, not copied: callers own them.
 */
public final class SafetensorsTensor {
    private final String name;
    private final String dtype;
    private final long[] shape;
    private final float[] floats;
    private final double[] doubles;

    private SafetensorsTensor(String name, String dtype, long[] shape, float[] floats, double[] doubles) {
        this.name = Objects.requireNonNull(name, "name");
        this.dtype = dtype;
        this.shape = shape.clone();
        this.floats = floats;
        this.doubles = doubles;
        long n = elementCount(this.shape);
        int length = floats != null ? floats.length : doubles.length;
        if (n != length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " has " + n + " elements but the data has " + length);
        }
    }

    /** An F32 tensor with {@code prod(shape) = data.length}; data is not copied. */
    public static SafetensorsTensor ofFloats(String name, long[] shape, float[] data) {
        return new SafetensorsTensor(name, "F32", shape, Objects.requireNonNull(data, "data"), null);
    }

    /** An F64 tensor with {@code prod(shape) = data.length}; data is not copied. */
    public static SafetensorsTensor ofDoubles(String name, long[] shape, double[] data) {
        return new SafetensorsTensor(name, "F64", shape, null, Objects.requireNonNull(data, "data"));
    }

    /** Values read from a file whose dtype was {@code fileDtype} (F16/BF16 widened to float). */
    static SafetensorsTensor read(String name, String fileDtype, long[] shape, float[] floats, double[] doubles) {
        return new SafetensorsTensor(name, fileDtype, shape, floats, doubles);
    }

    /** The tensor's name. */
    public String name() {
        return name;
    }

    /** The dtype as in the file ({@code F32, F64, F16, BF16}), or F32/F64 for built tensors. */
    public String dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** {@code prod(shape)}. */
    public int elementCount() {
        return floats != null ? floats.length : doubles.length;
    }

    /** Whether the values are held as {@code double[]} (true only for F64). */
    public boolean isDouble() {
        return doubles != null;
    }

    /**
     * The values as floats (not copied).
     *
     * @throws IllegalStateException if the tensor is F64; use {@link #toDoubles()}
     */
    public float[] floats() {
        if (floats == null) {
            throw new IllegalStateException("tensor '" + name + "' is F64; call doubles() or toDoubles()");
        }
        return floats;
    }

    /**
     * The values as doubles (not copied).
     *
     * @throws IllegalStateException if the tensor is not F64; use {@link #toDoubles()}
     */
    public double[] doubles() {
        if (doubles == null) {
            throw new IllegalStateException("tensor '" + name + "' is " + dtype + "; call floats() or toDoubles()");
        }
        return doubles;
    }

    /** The values widened to doubles, always a fresh array. */
    public double[] toDoubles() {
        if (doubles != null) {
            return doubles.clone();
        }
        double[] out = new double[floats.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = floats[i];
        }
        return out;
    }

    /** For example {@code SafetensorsTensor[w: BF16[2, 3]]}. */
    @Override
    public String toString() {
        return "SafetensorsTensor[" + name + ": " + dtype + Arrays.toString(shape) + "]";
    }

    /** {@code prod(shape)}; a zero dimension gives 0 before any product can overflow. */
    static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            if (d == 0) {
                n = 0;
            }
        }
        if (n == 0) {
            return 0;
        }
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
