package dev.distillery.autograd.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes safetensors files: 8-byte little-endian N, the JSON header padded with spaces so that N
 * is a multiple of 8 (as the reference Rust writer does, which keeps the data region 8-byte
 * aligned), then each tensor's little-endian bytes, in the order given, each in its
 * {@link SafetensorsTensor#dtype()} (F32 for {@code float[]} and F64 for {@code double[]} unless
 * {@link SafetensorsTensor#storedAs} chose F16, BF16 or another); {@code __metadata__} comes first
 * when non-empty, its keys sorted, so that equal inputs give equal bytes whatever map the caller
 * passes ({@code Map.of} iterates in an order that changes from one JVM start to the next).
 *
 * <p>{@link #write(Path, List, Map)} is atomic: it writes a temporary file in the target's
 * directory, forces it to disk, then renames it over the target ({@code ATOMIC_MOVE}, or
 * {@code REPLACE_EXISTING} where the file system cannot move atomically), so a crash leaves
 * either the old file or the new one, never a torn one. The temporary file is deleted on failure.
 */
public final class SafetensorsWriter {
    private static final int CHUNK = 1 << 20;

    private SafetensorsWriter() {
    }

    /**
     * Writes {@code tensors} (in order) and {@code metadata} to {@code target} atomically.
     *
     * @throws IllegalArgumentException on duplicate or reserved names, or a header over 100 MB
     */
    public static void write(Path target, List<SafetensorsTensor> tensors, Map<String, String> metadata)
            throws IOException {
        byte[] header = header(tensors, metadata);
        Path dir = target.toAbsolutePath().getParent();
        // Not Files.createTempFile: its owner-only permissions would end up on the target.
        Path temp = dir.resolve("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
        boolean moved = false;
        try {
            try (ch) {
                writeAll(ch, ByteBuffer.wrap(header));
                ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
                for (SafetensorsTensor t : tensors) {
                    writeData(ch, buf, t);
                }
                ch.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** The same bytes {@link #write} puts in the file, in memory. */
    public static byte[] toBytes(List<SafetensorsTensor> tensors, Map<String, String> metadata) {
        byte[] header = header(tensors, metadata);
        long total = header.length;
        for (SafetensorsTensor t : tensors) {
            total += (long) t.elementCount() * t.type().bytes();
        }
        if (total > HeaderParser.MAX_ELEMENTS) {
            throw new IllegalArgumentException(total + " bytes do not fit in a byte[]; use write(Path, ...)");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(header);
        for (SafetensorsTensor t : tensors) {
            encode(t, 0, t.elementCount(), out);
        }
        return out.array();
    }

    /** The 8-byte prefix and the space-padded JSON header. */
    static byte[] header(List<SafetensorsTensor> tensors, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(Json.string(HeaderParser.METADATA_KEY)).append(":{");
            String sep = "";
            for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
                json.append(sep).append(Json.string(e.getKey())).append(':').append(Json.string(e.getValue()));
                sep = ",";
            }
            json.append('}');
        }
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (SafetensorsTensor t : tensors) {
            if (t.name().equals(HeaderParser.METADATA_KEY) || !names.add(t.name())) {
                throw new IllegalArgumentException("tensor name " + Json.string(t.name())
                        + (names.contains(t.name()) ? " is used twice" : " is reserved for metadata"));
            }
            long end = offset + (long) t.elementCount() * t.type().bytes();
            json.append(json.length() > 1 ? "," : "").append(Json.string(t.name()))
                    .append(":{\"dtype\":\"").append(t.dtype()).append("\",\"shape\":[");
            long[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i > 0 ? "," : "").append(shape[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] utf8 = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (utf8.length + 7) & ~7;
        if (padded > HeaderParser.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("header of " + padded + " bytes exceeds the format's limit of "
                    + HeaderParser.MAX_HEADER_BYTES + "; use fewer tensors or shorter names/metadata");
        }
        ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(utf8);
        while (out.hasRemaining()) {
            out.put((byte) ' ');
        }
        return out.array();
    }

    private static void writeData(FileChannel ch, ByteBuffer buf, SafetensorsTensor t) throws IOException {
        int n = t.elementCount();
        int perChunk = CHUNK / t.type().bytes();
        for (int start = 0; start < n; start += perChunk) {
            int k = Math.min(perChunk, n - start);
            buf.clear();
            encode(t, start, k, buf);
            buf.flip();
            writeAll(ch, buf);
        }
    }

    /**
     * Puts elements {@code [start, start + k)} of {@code t} into {@code buf} (little-endian, at its
     * position, which advances) in {@code t}'s dtype: F32 floats and F64 doubles in bulk, other
     * pairs element by element through {@link SafetensorsDtype}'s codec.
     */
    private static void encode(SafetensorsTensor t, int start, int k, ByteBuffer buf) {
        SafetensorsDtype type = t.type();
        if (type == SafetensorsDtype.F32 && !t.isDouble()) {
            buf.asFloatBuffer().put(t.floats(), start, k);
            buf.position(buf.position() + 4 * k);
        } else if (type == SafetensorsDtype.F64 && t.isDouble()) {
            buf.asDoubleBuffer().put(t.doubles(), start, k);
            buf.position(buf.position() + 8 * k);
        } else if (t.isIntegral()) {
            long[] v = t.longs();
            for (int i = start; i < start + k; i++) {
                type.putLong(buf, v[i]);
            }
        } else if (t.isDouble()) {
            double[] v = t.doubles();
            for (int i = start; i < start + k; i++) {
                type.putFloating(buf, v[i]);
            }
        } else {
            float[] v = t.floats();
            for (int i = start; i < start + k; i++) {
                type.putFloating(buf, v[i]);
            }
        }
    }

    private static void writeAll(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (not Windows). */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Durability of the rename is best effort; the file itself is already complete on disk.
        }
    }
}
