package dev.distillery.autograd.io;

import static dev.distillery.autograd.io.SafetensorsBytes.concat;
import static dev.distillery.autograd.io.SafetensorsBytes.file;
import static dev.distillery.autograd.io.SafetensorsBytes.floats;
import static dev.distillery.autograd.io.SafetensorsBytes.le64;
import static dev.distillery.autograd.io.SafetensorsBytes.withLength;

import java.util.Arrays;
import java.util.List;

/**
 * The corpus of broken safetensors files, built in code (no binary fixtures): each breaks the
 * format in one way and names the fragment its rejection message must contain. Public, so that
 * the layers above (checkpoint loading, the command line) run the same files through their paths.
 */
public final class MalformedSafetensors {
    private static final String W8 = "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
    private static final byte[] TWO = floats(1f, 2f);

    /**
     * One broken file.
     *
     * @param name     what is broken
     * @param bytes    the file
     * @param fragment a piece of the message its rejection must carry
     */
    public record Case(String name, byte[] bytes, String fragment) {
    }

    private MalformedSafetensors() {
    }

    /** Every case, in a fixed order. */
    public static List<Case> all() {
        return List.of(

            bad("empty file", new byte[0], "file is 0 bytes"),
            bad("shorter than the prefix", new byte[] {1, 0, 0}, "file is 3 bytes"),
            bad("header cut", Arrays.copyOf(file("{" + W8 + "}", TWO), 20), "exceeds the 12 bytes after the length prefix"),
            bad("data cut", Arrays.copyOf(file("{" + W8 + "}", TWO), 8 + 54 + 4), "extend past the data region of 4 bytes"),
            bad("length near 2^63", withLength(Long.MAX_VALUE - 7, "{}", new byte[0]), "9223372036854775800 exceeds the 100000000-byte limit"),
            bad("length with top bit set", withLength(-8L, "{}", new byte[0]), "18446744073709551608 exceeds"),
            bad("length 2^40", withLength(1L << 40, "{}", new byte[0]), "1099511627776 exceeds the 100000000-byte limit"),
            bad("length larger than file", withLength(1000, "{}", new byte[0]), "header length 1000 exceeds the 2 bytes"),
            bad("invalid JSON", file("{\"w\":{\"dtype\":\"F32\",}", new byte[0]), "invalid header JSON"),
            bad("unterminated JSON", file("{\"w\":", new byte[0]), "unexpected end of header"),
            bad("trailing garbage", file("{}x", new byte[0]), "trailing characters"),
            bad("two top-level objects", file("{}{}", new byte[0]), "trailing characters"),
            bad("not UTF-8", concat(le64(4), new byte[] {'{', '"', (byte) 0xC3, '}'}), "not valid UTF-8"),
            bad("header is an array", file("[]", new byte[0]), "header is a JSON array"),
            bad("header is a string", file("\"{}\"", new byte[0]), "header is a JSON string"),
            bad("duplicate tensor", file("{" + W8 + "," + W8 + "}", TWO), "duplicate key \"w\""),
            bad("duplicate field", file("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\"}}", new byte[0]), "duplicate key \"dtype\""),
            bad("nesting too deep", file("{\"w\":{\"shape\":[[1]]}}", new byte[0]), "nesting deeper than 3"),
            bad("overlapping offsets", file("{" + W8 + ",\"v\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", TWO),
                "overlaps tensor \"w\""),
            bad("gap between tensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]),
                "tensor \"b\" starts at 8, leaving a gap of 4 bytes after tensor \"a\""),
            bad("gap at the start", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", TWO),
                "gap of 4 bytes after the start of the data region"),
            bad("trailing data", file("{" + W8 + "}", floats(1f, 2f, 3f)), "4 bytes after the last tensor"),
            bad("offsets beyond the file", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", TWO),
                "extend past the data region of 8 bytes"),
            bad("1 GiB tensor in an 8-byte region", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[16384,16384],"
                + "\"data_offsets\":[0,1073741824]}}", TWO), "[0, 1073741824] extend past the data region of 8 bytes"),
            bad("too many elements for an array", file("{\"w\":{\"dtype\":\"F16\",\"shape\":[3000000000],"
                + "\"data_offsets\":[0,6000000000]}}", new byte[0]), "3000000000 elements exceed the largest Java array"),
            bad("unknown dtype", file("{\"w\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}", TWO),
                "dtype \"Q4\" is not a known dtype; supported: F64, F32, F16, BF16"),
            bad("8-bit float dtype", file("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", TWO),
                "\"F8_E4M3\" is a valid safetensors dtype but not supported here"),
            bad("shape product overflow", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483648,2147483648,2147483648],"
                + "\"data_offsets\":[0,8]}}", TWO), "overflows 64-bit byte count"),
            bad("bytes overflow only after dtype size", file("{\"w\":{\"dtype\":\"F64\",\"shape\":[2305843009213693952],"
                + "\"data_offsets\":[0,8]}}", TWO), "overflows 64-bit byte count"),
            bad("shape/bytes mismatch", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", TWO),
                "needs 12 bytes but data_offsets [0, 8] span 8"),
            bad("negative dim", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", TWO),
                "negative dimension -2 at index 0"),
            bad("negative offset", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[-4,-4]}}", new byte[0]),
                "are negative"),
            bad("begin after end", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", TWO),
                "begin > end"),
            bad("fractional offset", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.0]}}", TWO),
                "8.0 is not an integer"),
            bad("exponent in shape", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2e0],\"data_offsets\":[0,8]}}", TWO),
                "2e0 is not an integer"),
            bad("offset beyond 64 bits", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,99999999999999999999]}}", TWO),
                "does not fit in 64 bits"),
            bad("string dim", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", TWO),
                "shape[0] is a JSON string"),
            bad("three offsets", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", TWO),
                "data_offsets has 3 elements"),
            bad("missing field", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", TWO), "expected exactly [dtype, shape, data_offsets]"),
            bad("extra field", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", TWO),
                "expected exactly [dtype, shape, data_offsets]"),
            bad("entry not an object", file("{\"w\":[0,8]}", TWO), "tensor \"w\" is a JSON array"),
            bad("dtype not a string", file("{\"w\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", TWO),
                "dtype is a JSON integer"),
            bad("metadata with a number", file("{\"__metadata__\":{\"epoch\":3}," + W8 + "}", TWO),
                "__metadata__ value for key \"epoch\" is a JSON integer"),
            bad("metadata null", file("{\"__metadata__\":{\"a\":null}}", new byte[0]), "is a JSON null"),
            bad("metadata not an object", file("{\"__metadata__\":\"pt\"}", new byte[0]), "__metadata__ is a JSON string"),
            bad("control character in name", file("{\"w\u0001\":1}", new byte[0]), "unescaped control character"),
            bad("bad escape", file("{\"w\\q\":1}", new byte[0]), "invalid escape"),
            bad("lone surrogate", file("{\"\\ud800\":1}", new byte[0]), "not followed by a low one"),
            bad("leading zero", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[02],\"data_offsets\":[0,8]}}", TWO), "leading zero"),
            bad("rank 65", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[" + "1,".repeat(64) + "1],\"data_offsets\":[0,4]}}",
                floats(1f)), "array of more than 64 elements"),
            bad("rank 2,000,000", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[" + "1,".repeat(2_000_000) + "1],"
                + "\"data_offsets\":[0,4]}}", floats(1f)), "array of more than 64 elements"),
            bad("name of 2 Mi characters", file("{\"" + "n".repeat(2 << 20) + "\":1}", new byte[0]),
                "string longer than 1048576 characters"),
            bad("terminal escape in a name", file("{\"\\u001b[2J\":1}", new byte[0]), "\\u001b[2J"),
            bad("zero-element shape overflowing before the zero", file("{\"w\":{\"dtype\":\"F32\",\"shape\":"
                + "[4294967296,4294967296,0],\"data_offsets\":[0,8]}}", TWO), "needs 0 bytes but data_offsets [0, 8] span 8")
        );
    }

    private static Case bad(String name, byte[] bytes, String fragment) {
        return new Case(name, bytes, fragment);
    }
}
