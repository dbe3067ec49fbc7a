package dev.distillery.autograd.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor as the header describes it: its name, its dtype exactly as written, its row-major
 * shape, and its byte range {@code [begin, end)} relative to the first byte after the header.
 * A validated entry satisfies {@code end - begin = prod(shape) * dtype size}; a scalar has shape
 * {@code []} (one element).
 *
 * @param name tensor name, a key of the header object
 * @param dtype dtype as written in the file, e.g. {@code "BF16"}
 * @param shape dimensions, outermost first; copied in and out
 * @param begin first byte of the data, relative to the data region
 * @param end one past the last byte
 */
public record SafetensorsEntry(String name, String dtype, long[] shape, long begin, long end) {

    /** Copies {@code shape} so the record stays immutable. */
    public SafetensorsEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    /** A copy of the dimensions. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /**
     * {@code prod(shape)}, 1 for a scalar, 0 when any dimension is 0 (whatever the others).
     *
     * @throws ArithmeticException if the product overflows 64 bits (never for a validated entry)
     */
    public long elementCount() {
        return SafetensorsTensor.elementCount(shape);
    }

    /** {@code end - begin}. */
    public long byteLength() {
        return end - begin;
    }

    /** Equal when every component is, comparing shapes element by element. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SafetensorsEntry e && name.equals(e.name) && dtype.equals(e.dtype)
                && Arrays.equals(shape, e.shape) && begin == e.begin && end == e.end;
    }

    /** Consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    /** For example {@code w: F32[2, 3] @ [0, 24)}. */
    @Override
    public String toString() {
        return name + ": " + dtype + Arrays.toString(shape) + " @ [" + begin + ", " + end + ")";
    }
}
