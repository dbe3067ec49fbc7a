package dev.distillery.autograd.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads safetensors files: 8 bytes little-endian unsigned N, N bytes of UTF-8 JSON header, then
 * the data region, each tensor's row-major little-endian bytes at {@code data_offsets} relative
 * to the byte after the header (https://github.com/huggingface/safetensors, README "Format").
 *
 * <p>The whole header is validated first (see {@link SafetensorsHeader}): N at most 100 MB and
 * within the file, strict JSON without duplicate keys (bounded while it is parsed: rank at most
 * 64, at most 65,536 tensors, strings of at most 1 Mi characters), every entry exactly {dtype,
 * shape, data_offsets}, byte counts computed with overflow checks (a zero dimension first), and
 * the entries tiling the data region exactly. Only then are tensors allocated, so a hostile file
 * can claim no more memory than its own size (times 2 for F16/BF16 widened to float, up to 8 for
 * 1-byte integers widened to long). Every rejection is a {@link SafetensorsException} naming the
 * tensor, the problem and the expectation.
 *
 * <p>Data is read through positioned reads of 1 MiB, never the whole file at once, and
 * {@link #forEach} hands over one tensor at a time, so a caller that converts and drops each
 * needs no more heap than the largest tensor beyond what it keeps. F32 reads as {@code float[]},
 * F64 as {@code double[]}, F16 and BF16 widen exactly to {@code float[]}, integer and BOOL
 * tensors read as {@code long[]}; the 8-bit floats and a few others are refused by name (see
 * {@link SafetensorsDtype}).
 */
public final class SafetensorsReader {
    private static final int CHUNK = 1 << 20;

    private SafetensorsReader() {
    }

    /** Reads and validates the file at {@code path}; memory used is bounded by the file's size. */
    public static SafetensorsFile read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(new ChannelSource(ch, ch.size()));
        }
    }

    /** What {@link #forEach} hands each tensor to. */
    @FunctionalInterface
    public interface TensorSink {
        void accept(SafetensorsTensor tensor) throws IOException;
    }

    /**
     * Validates the file's header, then decodes its tensors one at a time, in header order, into
     * {@code sink}; nothing of a tensor is kept here after the sink returns.
     */
    public static Map<String, String> forEach(Path path, TensorSink sink) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            Source src = new ChannelSource(ch, ch.size());
            SafetensorsHeader header = header(src);
            long base = 8 + header.headerLength();
            for (SafetensorsEntry e : header.entries()) {
                sink.accept(decode(src, base, e));
            }
            return header.metadata();
        }
    }

    /** Reads only the header of {@code path}, validated against the file's size. */
    public static SafetensorsHeader readHeader(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return header(new ChannelSource(ch, ch.size()));
        }
    }

    /** Reads and validates a whole file held in memory. */
    public static SafetensorsFile read(byte[] file) throws SafetensorsException {
        try {
            return read(new ArraySource(file));
        } catch (SafetensorsException e) {
            throw e;
        } catch (IOException e) {
            throw new AssertionError("in-memory source cannot fail", e);
        }
    }

    /**
     * Reads a whole file from {@code in} (not closed), refusing streams longer than
     * {@code maxBytes}. Bytes are buffered as they arrive, so a short stream costs little memory
     * whatever {@code maxBytes} is.
     *
     * @throws IllegalArgumentException if maxBytes is negative or above {@code Integer.MAX_VALUE - 8}
     */
    public static SafetensorsFile read(InputStream in, long maxBytes) throws IOException {
        if (maxBytes < 0 || maxBytes > HeaderParser.MAX_ELEMENTS) {
            throw new IllegalArgumentException("maxBytes must be in [0, " + HeaderParser.MAX_ELEMENTS + "], got "
                    + maxBytes + "; read larger files with read(Path)");
        }
        byte[] all = in.readNBytes((int) maxBytes + 1);
        if (all.length > maxBytes) {
            throw new SafetensorsException("stream is longer than the limit of " + maxBytes
                    + " bytes; raise maxBytes or read from a Path");
        }
        return read(all);
    }

    private static SafetensorsHeader header(Source src) throws IOException {
        byte[] prefix = new byte[8];
        if (src.size() >= 8) {
            src.read(0, ByteBuffer.wrap(prefix));
        }
        long n = HeaderParser.headerLength(prefix, src.size());
        byte[] headerBytes = new byte[(int) n];
        src.read(8, ByteBuffer.wrap(headerBytes));
        return HeaderParser.parse(headerBytes, src.size() - 8 - n);
    }

    private static SafetensorsFile read(Source src) throws IOException {
        SafetensorsHeader header = header(src);
        long base = 8 + header.headerLength();
        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        for (SafetensorsEntry e : header.entries()) {
            tensors.put(e.name(), decode(src, base, e));
        }
        return new SafetensorsFile(header, tensors);
    }

    private static SafetensorsTensor decode(Source src, long base, SafetensorsEntry e) throws IOException {
        SafetensorsDtype type = SafetensorsDtype.valueOf(e.dtype());
        int count = (int) e.elementCount();
        SafetensorsDtype.Holding holding = type.holding();
        float[] floats = holding == SafetensorsDtype.Holding.FLOATS ? new float[count] : null;
        double[] doubles = holding == SafetensorsDtype.Holding.DOUBLES ? new double[count] : null;
        long[] longs = holding == SafetensorsDtype.Holding.LONGS ? new long[count] : null;
        int perChunk = CHUNK / type.bytes();
        ByteBuffer buf = ByteBuffer.allocate(Math.min(count, perChunk) * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < count; start += perChunk) {
            int k = Math.min(perChunk, count - start);
            buf.clear().limit(k * type.bytes());
            src.read(base + e.begin() + (long) start * type.bytes(), buf);
            buf.flip();
            for (int i = start; i < start + k; i++) {
                switch (holding) {
                    case DOUBLES -> doubles[i] = buf.getDouble();
                    case FLOATS -> floats[i] = type.getFloat(buf);
                    case LONGS -> longs[i] = type.getLong(buf);
                }
            }
        }
        return SafetensorsTensor.read(e.name(), e.dtype(), e.shape(), floats, doubles, longs);
    }

    /** Positioned reads that fill {@code dst} completely. */
    private interface Source {
        long size();

        void read(long position, ByteBuffer dst) throws IOException;
    }

    private record ArraySource(byte[] bytes) implements Source {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public void read(long position, ByteBuffer dst) {
            dst.put(bytes, (int) position, dst.remaining());
        }
    }

    private record ChannelSource(FileChannel channel, long size) implements Source {
        @Override
        public void read(long position, ByteBuffer dst) throws IOException {
            long p = position;
            while (dst.hasRemaining()) {
                int r = channel.read(dst, p);
                if (r < 0) {
                    throw new SafetensorsException("file ended at byte " + p + " while reading data it declared"
                            + " (was it truncated while being read?)");
                }
                p += r;
            }
        }
    }
}
