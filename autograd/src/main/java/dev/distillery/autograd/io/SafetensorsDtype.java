package dev.distillery.autograd.io;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The floating-point element types this reader decodes, with their names as written in a
 * safetensors header and their sizes in bytes. All are little-endian IEEE 754 layouts:
 * <ul>
 *   <li>{@code F64}: binary64, read as {@code double};</li>
 *   <li>{@code F32}: binary32, read as {@code float};</li>
 *   <li>{@code F16}: binary16 (1 sign, 5 exponent, 10 fraction bits), widened exactly to
 *       {@code float};</li>
 *   <li>{@code BF16}: bfloat16, the top 16 bits of a binary32, widened exactly by
 *       {@code bits << 16}.</li>
 * </ul>
 * Integer, boolean and 8-bit float types of the format are recognised but rejected: tensors here
 * are F32 or F64, and silently widening an I64 to double could lose precision.
 */
public enum SafetensorsDtype {
    /** IEEE binary64. */
    F64(8),
    /** IEEE binary32. */
    F32(4),
    /** IEEE binary16. */
    F16(2),
    /** bfloat16 (8 exponent bits, 7 fraction bits). */
    BF16(2);

    /** Types of the safetensors format that are recognised and deliberately not supported. */
    static final List<String> UNSUPPORTED = List.of("BOOL", "U8", "I8", "U16", "I16", "U32", "I32", "U64",
            "I64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64");

    private final int bytes;

    SafetensorsDtype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The supported type called {@code name} in a header, or null when there is none. */
    static SafetensorsDtype byName(String name) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** "F64, F32, F16, BF16", for messages. */
    static String supportedNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /**
     * Widens binary16 bits exactly: normal {@code (-1)^s 2^(e-15) (1 + f/1024)} moves to the
     * binary32 exponent {@code e + 112}; subnormal {@code (-1)^s f 2^-24}; e = 31 is infinity or
     * NaN (payload kept).
     */
    static float halfToFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int fraction = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (fraction << 13));
        }
        if (exponent == 0) {
            float magnitude = fraction * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (fraction << 13));
    }

    /** Widens bfloat16 bits exactly: they are the high half of the binary32 encoding. */
    static float bfloat16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
