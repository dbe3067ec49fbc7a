package dev.distillery.autograd.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a safetensors header completely before any tensor is allocated. Order of checks: the
 * 8-byte prefix, N against {@link #MAX_HEADER_BYTES} and the file size, UTF-8, JSON, each entry
 * (keys, dtype, shape, offsets, byte count), then the layout of all entries together (sorted by
 * offset they must tile {@code [0, dataLength)} exactly, as the reference implementation
 * requires). After this, every tensor's bytes lie inside the file and every element count fits a
 * Java array, so allocation is bounded by the file's real size.
 */
final class HeaderParser {
    /** The reference implementation's limit on N (its {@code MAX_HEADER_SIZE}, 100 MB decimal). */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    /**
     * The most dimensions a tensor may have. The format sets none; PyTorch allows 64 at most, and
     * a bound keeps every per-dimension loop of the readers and adapters short.
     */
    static final int MAX_RANK = 64;
    /**
     * What a header's JSON may be: the header object, an entry object, a shape or offsets array
     * (depth 3); arrays of at most {@link #MAX_RANK} elements (shapes and {@code [begin, end]}
     * offsets), so a 100 MB shape is refused before it costs gigabytes of boxed numbers; at most
     * 65,536 members per object (models have hundreds to a few thousand tensors per file; the bound
     * keeps a 10 MB header of empty tensors from costing seconds before it is refused); strings of
     * at most 1 Mi characters; integers only.
     */
    static final Json.Limits JSON_LIMITS = new Json.Limits("header", 3, MAX_RANK, 65_536, Json.MAX_STRING_CHARS, true);
    /** The largest array length every JVM accepts. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    static final String METADATA_KEY = "__metadata__";
    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

    private HeaderParser() {
    }

    /** The header length N from the first 8 bytes, checked against the limit and file size. */
    static long headerLength(byte[] prefix, long fileSize) throws SafetensorsException {
        if (fileSize < 8) {
            throw new SafetensorsException("file is " + fileSize + " bytes; a safetensors file starts with an"
                    + " 8-byte little-endian header length (truncated or not a safetensors file)");
        }
        long n = ByteBuffer.wrap(prefix, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new SafetensorsException("header length " + Long.toUnsignedString(n) + " exceeds the "
                    + MAX_HEADER_BYTES + "-byte limit of the format (corrupt length prefix or not a safetensors file)");
        }
        if (n > fileSize - 8) {
            throw new SafetensorsException("header length " + n + " exceeds the " + (fileSize - 8)
                    + " bytes after the length prefix (file truncated inside the header?)");
        }
        return n;
    }

    /** Decodes, parses and validates the N header bytes; {@code dataLength = fileSize - 8 - N}. */
    static SafetensorsHeader parse(byte[] headerBytes, long dataLength) throws SafetensorsException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(headerBytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsException("header is not valid UTF-8; the format requires a UTF-8 JSON object", e);
        }
        Object root;
        try {
            root = Json.parse(text, JSON_LIMITS);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(e.getMessage(), e);
        }
        if (!(root instanceof Map)) {
            throw new SafetensorsException("header is a JSON " + Json.typeName(root)
                    + "; expected an object mapping tensor names to {dtype, shape, data_offsets}");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<SafetensorsEntry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : cast(root).entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                metadata = metadata(e.getValue());
            } else {
                entries.add(entry(e.getKey(), e.getValue(), dataLength));
            }
        }
        checkLayout(entries, dataLength);
        return new SafetensorsHeader(headerBytes.length, dataLength, entries, metadata);
    }

    private static Map<String, String> metadata(Object value) throws SafetensorsException {
        if (!(value instanceof Map)) {
            throw new SafetensorsException("__metadata__ is a JSON " + Json.typeName(value)
                    + "; expected an object of string values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : cast(value).entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new SafetensorsException("__metadata__ value for key " + Json.string(e.getKey()) + " is a JSON "
                        + Json.typeName(e.getValue()) + "; metadata values must be strings (quote it)");
            }
            out.put(e.getKey(), s);
        }
        return out;
    }

    private static SafetensorsEntry entry(String name, Object value, long dataLength) throws SafetensorsException {
        String where = "tensor " + Json.string(name);
        if (!(value instanceof Map)) {
            throw new SafetensorsException(where + " is a JSON " + Json.typeName(value)
                    + "; expected an object {dtype, shape, data_offsets}");
        }
        Map<String, Object> fields = cast(value);
        if (!fields.keySet().equals(ENTRY_KEYS)) {
            throw new SafetensorsException(where + " has keys " + fields.keySet()
                    + "; expected exactly [dtype, shape, data_offsets]");
        }
        if (!(fields.get("dtype") instanceof String dtype)) {
            throw new SafetensorsException(where + ": dtype is a JSON " + Json.typeName(fields.get("dtype"))
                    + "; expected a string such as \"F32\"");
        }
        SafetensorsDtype type = SafetensorsDtype.byName(dtype);
        if (type == null) {
            String why = SafetensorsDtype.UNSUPPORTED.contains(dtype)
                    ? " is a valid safetensors dtype but not supported here (8-, 6- and 4-bit floats, U64 and complex are not decoded)"
                    : " is not a known dtype";
            throw new SafetensorsException(where + ": dtype " + Json.string(dtype) + why + "; supported: "
                    + SafetensorsDtype.supportedNames() + " (convert the tensor to one of them)");
        }
        long[] shape = longs(where, "shape", fields.get("shape"), -1);
        long[] offsets = longs(where, "data_offsets", fields.get("data_offsets"), 2);
        if (shape.length > MAX_RANK) {
            throw new SafetensorsException(where + ": rank " + shape.length + " exceeds the limit of " + MAX_RANK
                    + " dimensions; the header is corrupt");
        }
        long count = elementCount(where, shape, dtype);
        long bytes;
        try {
            bytes = Math.multiplyExact(count, (long) type.bytes());
        } catch (ArithmeticException e) {
            throw new SafetensorsException(where + ": shape " + Arrays.toString(shape) + " of " + dtype
                    + " overflows 64-bit byte count; the header is corrupt");
        }
        if (count > MAX_ELEMENTS) {
            throw new SafetensorsException(where + ": " + count + " elements exceed the largest Java array ("
                    + MAX_ELEMENTS + "); split the tensor");
        }
        long begin = offsets[0];
        long end = offsets[1];
        for (long o : offsets) {
            if (o < 0) {
                throw new SafetensorsException(where + ": data_offsets " + Arrays.toString(offsets)
                        + " are negative; expected [begin, end] with 0 <= begin <= end");
            }
        }
        if (begin > end) {
            throw new SafetensorsException(where + ": data_offsets " + Arrays.toString(offsets)
                    + " have begin > end; expected [begin, end] with begin <= end");
        }
        if (end > dataLength) {
            throw new SafetensorsException(where + ": data_offsets " + Arrays.toString(offsets)
                    + " extend past the data region of " + dataLength + " bytes (file truncated?)");
        }
        if (end - begin != bytes) {
            throw new SafetensorsException(where + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + bytes + " bytes but data_offsets " + Arrays.toString(offsets) + " span " + (end - begin));
        }
        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    /**
     * {@code prod(shape)} without overflow: a shape with a zero dimension holds no elements
     * whatever its other dimensions (the format allows {@code [0, 2^40]}), so zeros are looked for
     * before anything is multiplied; otherwise an overflow is a corrupt header.
     */
    static long elementCount(String where, long[] shape, String dtype) throws SafetensorsException {
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new SafetensorsException(where + ": shape " + Arrays.toString(shape) + " has negative dimension "
                        + shape[i] + " at index " + i + "; dimensions must be >= 0");
            }
        }
        for (long d : shape) {
            if (d == 0) {
                return 0;
            }
        }
        long count = 1;
        try {
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
        } catch (ArithmeticException e) {
            throw new SafetensorsException(where + ": shape " + Arrays.toString(shape) + " of " + dtype
                    + " overflows 64-bit byte count; the header is corrupt");
        }
        return count;
    }

    private static long[] longs(String where, String key, Object value, int requiredLength)
            throws SafetensorsException {
        String expected = requiredLength == 2 ? "an array [begin, end] of integers" : "an array of integers";
        if (!(value instanceof List<?> list)) {
            throw new SafetensorsException(where + ": " + key + " is a JSON " + Json.typeName(value)
                    + "; expected " + expected);
        }
        if (requiredLength >= 0 && list.size() != requiredLength) {
            throw new SafetensorsException(where + ": " + key + " has " + list.size() + " elements; expected "
                    + expected);
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long v)) {
                throw new SafetensorsException(where + ": " + key + "[" + i + "] is a JSON "
                        + Json.typeName(list.get(i)) + "; expected " + expected);
            }
            out[i] = v;
        }
        return out;
    }

    /** Sorted by (begin, end) the entries must tile [0, dataLength): no gap, no overlap. */
    private static void checkLayout(List<SafetensorsEntry> entries, long dataLength) throws SafetensorsException {
        List<SafetensorsEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(SafetensorsEntry::begin).thenComparingLong(SafetensorsEntry::end));
        long cursor = 0;
        SafetensorsEntry previous = null;
        for (SafetensorsEntry e : sorted) {
            String before = previous == null ? "the start of the data region" : "tensor " + Json.string(previous.name())
                    + " (ends at " + previous.end() + ")";
            if (e.begin() > cursor) {
                throw new SafetensorsException("tensor " + Json.string(e.name()) + " starts at " + e.begin()
                        + ", leaving a gap of " + (e.begin() - cursor) + " bytes after " + before
                        + "; tensors must be contiguous");
            }
            if (e.begin() < cursor) {
                throw new SafetensorsException("tensor " + Json.string(e.name()) + " [" + e.begin() + ", " + e.end()
                        + ") overlaps " + before + "; tensors must not share bytes");
            }
            cursor = e.end();
            previous = e;
        }
        if (cursor != dataLength) {
            throw new SafetensorsException("the data region has " + (dataLength - cursor) + " bytes after the last"
                    + " tensor (" + cursor + " of " + dataLength + " used); tensors must cover it exactly"
                    + " (trailing bytes or a missing entry)");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }
}
