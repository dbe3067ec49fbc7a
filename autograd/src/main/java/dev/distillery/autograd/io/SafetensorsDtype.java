package dev.distillery.autograd.io;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The element types this library reads and writes, with their names as written in a safetensors
 * header, their sizes in bytes and their little-endian codecs
 * (https://github.com/huggingface/safetensors, "Format"). How values are held in memory
 * ({@link #holding()}):
 * <ul>
 *   <li>{@code F64} as {@code double[]};</li>
 *   <li>{@code F32} as {@code float[]}; {@code F16} and {@code BF16} widened exactly to
 *       {@code float[]} and narrowed on write with round-to-nearest-even ({@link HalfFloats});</li>
 *   <li>the integer types {@code I8, I16, I32, I64, U8, U16, U32} as {@code long[]} (exact), and
 *       {@code BOOL} as {@code long[]} of 0 and 1 (a nonzero byte reads as 1, as torch reads it).</li>
 * </ul>
 * The 8-, 6- and 4-bit floats, {@code U64} and complex types of the format are recognised by name
 * and refused ({@link #UNSUPPORTED}).
 */
public enum SafetensorsDtype {
    /** IEEE binary64. */
    F64(8, Holding.DOUBLES),
    /** IEEE binary32. */
    F32(4, Holding.FLOATS),
    /** IEEE binary16. */
    F16(2, Holding.FLOATS),
    /** bfloat16 (8 exponent bits, 7 fraction bits). */
    BF16(2, Holding.FLOATS),
    /** Signed 64-bit integer (torch.int64, e.g. BatchNorm's {@code num_batches_tracked}). */
    I64(8, Holding.LONGS),
    /** Signed 32-bit integer. */
    I32(4, Holding.LONGS),
    /** Signed 16-bit integer. */
    I16(2, Holding.LONGS),
    /** Signed 8-bit integer. */
    I8(1, Holding.LONGS),
    /** Unsigned 8-bit integer (torch.uint8). */
    U8(1, Holding.LONGS),
    /** Unsigned 16-bit integer. */
    U16(2, Holding.LONGS),
    /** Unsigned 32-bit integer. */
    U32(4, Holding.LONGS),
    /** Boolean, one byte each, 0 or 1. */
    BOOL(1, Holding.LONGS);

    /** The Java array a tensor of this type is held in. */
    public enum Holding { DOUBLES, FLOATS, LONGS }

    /** Types of the safetensors format that are recognised and deliberately not supported. */
    static final List<String> UNSUPPORTED = List.of("U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2",
            "F4", "C64");

    private final int bytes;
    private final Holding holding;

    SafetensorsDtype(int bytes, Holding holding) {
        this.bytes = bytes;
        this.holding = holding;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The array type its values are held in. */
    public Holding holding() {
        return holding;
    }

    /** The supported type called {@code name} in a header, or null when there is none. */
    public static SafetensorsDtype byName(String name) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** "F64, F32, F16, BF16, I64, ...", for messages. */
    static String supportedNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /** Reads one element of a float type (F32, F16, BF16) from {@code buf}. */
    float getFloat(ByteBuffer buf) {
        return switch (this) {
            case F32 -> buf.getFloat();
            case F16 -> HalfFloats.halfToFloat(buf.getShort());
            case BF16 -> HalfFloats.bfloat16ToFloat(buf.getShort());
            default -> throw new IllegalStateException(this + " is not held as floats");
        };
    }

    /** Reads one element of an integer or boolean type from {@code buf}. */
    long getLong(ByteBuffer buf) {
        return switch (this) {
            case I64 -> buf.getLong();
            case I32 -> buf.getInt();
            case I16 -> buf.getShort();
            case I8 -> buf.get();
            case U8 -> buf.get() & 0xFFL;
            case U16 -> buf.getShort() & 0xFFFFL;
            case U32 -> buf.getInt() & 0xFFFFFFFFL;
            case BOOL -> buf.get() != 0 ? 1 : 0;
            default -> throw new IllegalStateException(this + " is not held as integers");
        };
    }

    /** Writes {@code x} as one element of a floating type, rounded to it (nearest, ties to even). */
    void putFloating(ByteBuffer buf, double x) {
        switch (this) {
            case F64 -> buf.putDouble(x);
            case F32 -> buf.putFloat((float) x);
            case F16 -> buf.putShort(HalfFloats.toHalf(x));
            case BF16 -> buf.putShort(HalfFloats.toBfloat16(x));
            default -> throw new IllegalStateException(this + " is not a floating type");
        }
    }

    /**
     * Writes {@code v} as one element of an integer or boolean type.
     *
     * @throws IllegalArgumentException if v is outside the type's range (BOOL: 0 or 1)
     */
    void putLong(ByteBuffer buf, long v) {
        long lo;
        long hi;
        switch (this) {
            case I64 -> { lo = Long.MIN_VALUE; hi = Long.MAX_VALUE; }
            case I32 -> { lo = Integer.MIN_VALUE; hi = Integer.MAX_VALUE; }
            case I16 -> { lo = Short.MIN_VALUE; hi = Short.MAX_VALUE; }
            case I8 -> { lo = Byte.MIN_VALUE; hi = Byte.MAX_VALUE; }
            case U8 -> { lo = 0; hi = 0xFF; }
            case U16 -> { lo = 0; hi = 0xFFFF; }
            case U32 -> { lo = 0; hi = 0xFFFFFFFFL; }
            case BOOL -> { lo = 0; hi = 1; }
            default -> throw new IllegalStateException(this + " is not an integer type");
        }
        if (v < lo || v > hi) {
            throw new IllegalArgumentException("value " + v + " does not fit " + this + " [" + lo + ", " + hi + "]");
        }
        switch (bytes) {
            case 8 -> buf.putLong(v);
            case 4 -> buf.putInt((int) v);
            case 2 -> buf.putShort((short) v);
            default -> buf.put((byte) v);
        }
    }

    /** Widens binary16 bits exactly (see {@link HalfFloats#halfToFloat}). */
    static float halfToFloat(int bits) {
        return HalfFloats.halfToFloat(bits);
    }

    /** Widens bfloat16 bits exactly (see {@link HalfFloats#bfloat16ToFloat}). */
    static float bfloat16ToFloat(int bits) {
        return HalfFloats.bfloat16ToFloat(bits);
    }
}
