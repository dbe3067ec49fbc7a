package dev.distillery.autograd.io;

import java.util.List;
import java.util.Map;

/**
 * A validated header: the entries in header order, the {@code __metadata__} strings (empty when
 * absent), the header length N (the file's first 8 bytes) and the data region's length, so that
 * the file is exactly {@code 8 + headerLength + dataLength} bytes.
 *
 * @param headerLength N, bytes of JSON (padding included)
 * @param dataLength bytes after the header, all covered by the entries
 * @param entries tensors in header order
 * @param metadata free-form string map, insertion order kept
 */
public record SafetensorsHeader(long headerLength, long dataLength, List<SafetensorsEntry> entries,
        Map<String, String> metadata) {

    /** Makes the collections unmodifiable (order kept). */
    public SafetensorsHeader {
        entries = List.copyOf(entries);
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }
}
