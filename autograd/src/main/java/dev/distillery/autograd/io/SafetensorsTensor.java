package dev.distillery.autograd.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor's values in row-major order, independent of {@code Tensor} and of any backend:
 * a {@code float[]} (F32, or widened from F16 / BF16), a {@code double[]} (F64) or a
 * {@code long[]} (the integer types and BOOL). {@code dtype()} is the type in the file, and the
 * type a writer stores: {@link #storedAs} asks for another one of the same kind (e.g. floats
 * written as F16 or BF16, rounded to nearest-even). The arrays are shared, not copied: callers own
 * them.
 */
public final class SafetensorsTensor {
    private final String name;
    private final String dtype;
    private final long[] shape;
    private final float[] floats;
    private final double[] doubles;
    private final long[] longs;

    private SafetensorsTensor(String name, String dtype, long[] shape, float[] floats, double[] doubles,
                              long[] longs) {
        this.name = Objects.requireNonNull(name, "name");
        this.dtype = dtype;
        this.shape = shape.clone();
        this.floats = floats;
        this.doubles = doubles;
        this.longs = longs;
        long n = elementCount(this.shape);
        int length = floats != null ? floats.length : doubles != null ? doubles.length : longs.length;
        if (n != length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " has " + n + " elements but the data has " + length);
        }
    }

    /** An F32 tensor with {@code prod(shape) = data.length}; data is not copied. */
    public static SafetensorsTensor ofFloats(String name, long[] shape, float[] data) {
        return new SafetensorsTensor(name, "F32", shape, Objects.requireNonNull(data, "data"), null, null);
    }

    /** An F64 tensor with {@code prod(shape) = data.length}; data is not copied. */
    public static SafetensorsTensor ofDoubles(String name, long[] shape, double[] data) {
        return new SafetensorsTensor(name, "F64", shape, null, Objects.requireNonNull(data, "data"), null);
    }

    /**
     * A tensor of integer or boolean type {@code dtype} with {@code prod(shape) = data.length}; data
     * is not copied.
     *
     * @throws IllegalArgumentException if dtype is a floating type
     */
    public static SafetensorsTensor ofLongs(String name, SafetensorsDtype dtype, long[] shape, long[] data) {
        if (dtype.holding() != SafetensorsDtype.Holding.LONGS) {
            throw new IllegalArgumentException("tensor '" + name + "': " + dtype + " is not an integer or boolean type");
        }
        return new SafetensorsTensor(name, dtype.name(), shape, null, null, Objects.requireNonNull(data, "data"));
    }

    /**
     * The same values to be written as {@code type}: floats or doubles as any floating type
     * (rounded to it on write), longs as any integer type or BOOL (range-checked on write).
     *
     * @throws IllegalArgumentException if the kinds differ (floating values as an integer type or back)
     */
    public SafetensorsTensor storedAs(SafetensorsDtype type) {
        boolean integral = type.holding() == SafetensorsDtype.Holding.LONGS;
        if (integral != (longs != null)) {
            throw new IllegalArgumentException("tensor '" + name + "' holds " + (longs != null ? "integers" : "floats")
                    + " and cannot be stored as " + type + "; convert the values first");
        }
        return new SafetensorsTensor(name, type.name(), shape, floats, doubles, longs);
    }

    /** Values read from a file whose dtype was {@code fileDtype} (F16/BF16 widened to float). */
    static SafetensorsTensor read(String name, String fileDtype, long[] shape, float[] floats, double[] doubles,
                                  long[] longs) {
        return new SafetensorsTensor(name, fileDtype, shape, floats, doubles, longs);
    }

    /** The tensor's name. */
    public String name() {
        return name;
    }

    /** The dtype as in the file ({@code F32, F64, F16, BF16, I64, ...}), or the one to write. */
    public String dtype() {
        return dtype;
    }

    /** {@link #dtype()} as the enum. */
    public SafetensorsDtype type() {
        return SafetensorsDtype.valueOf(dtype);
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** {@code prod(shape)}. */
    public int elementCount() {
        return floats != null ? floats.length : doubles != null ? doubles.length : longs.length;
    }

    /** Whether the values are held as {@code long[]} (the integer types and BOOL). */
    public boolean isIntegral() {
        return longs != null;
    }

    /**
     * The values as longs (not copied).
     *
     * @throws IllegalStateException if the tensor is of a floating type
     */
    public long[] longs() {
        if (longs == null) {
            throw new IllegalStateException("tensor '" + name + "' is " + dtype + "; call floats(), doubles() or toDoubles()");
        }
        return longs;
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
            throw new IllegalStateException("tensor '" + name + "' is " + dtype + "; call doubles(), longs() or toDoubles()");
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

    /** The values widened to doubles (integers beyond 2^53 rounded), always a fresh array. */
    public double[] toDoubles() {
        if (doubles != null) {
            return doubles.clone();
        }
        if (longs != null) {
            double[] out = new double[longs.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = longs[i];
            }
            return out;
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
