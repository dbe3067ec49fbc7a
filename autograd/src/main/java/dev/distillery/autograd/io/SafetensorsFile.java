package dev.distillery.autograd.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of a safetensors file: its validated header and every tensor's values, both in
 * header order.
 *
 * @param header the validated header (entries, metadata, lengths)
 * @param tensors name to values, in header order, unmodifiable
 */
public record SafetensorsFile(SafetensorsHeader header, Map<String, SafetensorsTensor> tensors) {

    /** Makes the map unmodifiable, keeping its order. */
    public SafetensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** The {@code __metadata__} strings (empty when the file has none). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /**
     * The tensor called {@code name}.
     *
     * @throws IllegalArgumentException naming the tensors present, if there is none
     */
    public SafetensorsTensor get(String name) {
        SafetensorsTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor " + Json.string(name) + "; present: " + tensors.keySet());
        }
        return t;
    }
}
