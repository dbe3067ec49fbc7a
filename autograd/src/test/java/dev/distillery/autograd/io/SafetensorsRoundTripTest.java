package dev.distillery.autograd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write then read gives back names, order, shapes, dtypes, values (bit-exact) and metadata. */
class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    private static List<SafetensorsTensor> sample() {
        List<SafetensorsTensor> ts = new ArrayList<>();
        ts.add(SafetensorsTensor.ofFloats("down.0.conv1.weight", new long[] {2, 3},
                new float[] {1f, -2.5f, Float.MIN_VALUE, Float.MAX_VALUE, -0.0f, Float.NaN}));
        ts.add(SafetensorsTensor.ofDoubles("b", new long[] {4}, new double[] {Math.PI, -1e-310, 1e300, 0.1}));
        ts.add(SafetensorsTensor.ofDoubles("scalar", new long[] {}, new double[] {42.0}));
        ts.add(SafetensorsTensor.ofFloats("empty", new long[] {0, 5}, new float[0]));
        ts.add(SafetensorsTensor.ofFloats("\u00e9t\u00e9 \"quoted\" \\ \ud83d\ude00", new long[] {1}, new float[] {7f}));
        return ts;
    }

    private static Map<String, String> meta() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "pt");
        m.put("note", "line\nbreak \"and\" tab\t");
        return m;
    }

    @Test
    void pathRoundTripKeepsValuesBitExactAndOrder() throws Exception {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, sample(), meta());
        SafetensorsFile read = SafetensorsReader.read(file);
        assertSame(sample(), read);
        assertEquals(meta(), read.metadata());
        assertEquals(List.copyOf(meta().keySet()), List.copyOf(read.metadata().keySet()));
    }

    @Test
    void bytesAndStreamRoundTripsAgreeWithTheFile() throws Exception {
        Path file = dir.resolve("m.safetensors");
        SafetensorsWriter.write(file, sample(), meta());
        byte[] bytes = SafetensorsWriter.toBytes(sample(), meta());
        assertArrayEquals(Files.readAllBytes(file), bytes);
        assertSame(sample(), SafetensorsReader.read(bytes));
        assertSame(sample(), SafetensorsReader.read(new ByteArrayInputStream(bytes), bytes.length));
        SafetensorsException e = assertThrows(SafetensorsException.class,
                () -> SafetensorsReader.read(new ByteArrayInputStream(bytes), bytes.length - 1));
        assertTrue(e.getMessage().contains("longer than the limit"), e.getMessage());
    }

    @Test
    void headerIsSpacePaddedToEightBytesAndEntriesAreContiguous() throws Exception {
        byte[] bytes = SafetensorsWriter.toBytes(sample(), meta());
        SafetensorsHeader h = SafetensorsReader.read(bytes).header();
        assertEquals(0, h.headerLength() % 8);
        assertEquals(bytes.length, 8 + h.headerLength() + h.dataLength());
        String json = new String(bytes, 8, (int) h.headerLength(), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"__metadata__\""), json);
        assertTrue(json.stripTrailing().endsWith("}"));
        assertTrue(json.substring(json.stripTrailing().length()).chars().allMatch(c -> c == ' '), "pad is spaces");
        long cursor = 0;
        for (SafetensorsEntry e : h.entries()) {
            assertEquals(cursor, e.begin(), e.toString());
            cursor = e.end();
        }
        assertEquals(h.dataLength(), cursor);
        assertEquals(new SafetensorsEntry("scalar", "F64", new long[] {}, 56, 64), h.entries().get(2));
    }

    @Test
    void noTensorsAndNoMetadataIsAValidFile() throws Exception {
        Path file = dir.resolve("empty.safetensors");
        SafetensorsWriter.write(file, List.of(), Map.of());
        SafetensorsFile read = SafetensorsReader.read(file);
        assertTrue(read.tensors().isEmpty());
        assertTrue(read.metadata().isEmpty());
        assertEquals(16, Files.size(file), "8-byte prefix + \"{}\" padded to 8");
    }

    @Test
    void overwriteIsAtomicAndLeavesNoTemporaryFiles() throws Exception {
        Path file = dir.resolve("ckpt.safetensors");
        SafetensorsWriter.write(file, sample(), meta());
        List<SafetensorsTensor> other = List.of(SafetensorsTensor.ofFloats("x", new long[] {1}, new float[] {3f}));
        SafetensorsWriter.write(file, other, Map.of());
        assertEquals(3f, SafetensorsReader.read(file).get("x").floats()[0]);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void failedWriteDeletesItsTemporaryFileAndKeepsTheOldTarget() throws Exception {
        Path file = dir.resolve("keep.safetensors");
        SafetensorsWriter.write(file, sample(), meta());
        byte[] before = Files.readAllBytes(file);
        List<SafetensorsTensor> dup = List.of(SafetensorsTensor.ofFloats("a", new long[] {1}, new float[] {1f}),
                SafetensorsTensor.ofFloats("a", new long[] {1}, new float[] {2f}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(file, dup, Map.of()));
        assertTrue(e.getMessage().contains("\"a\" is used twice"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(file,
                List.of(SafetensorsTensor.ofFloats("__metadata__", new long[] {0}, new float[0])), Map.of()));
        // A directory where the file should go makes the move fail after the data is written.
        Path blocked = dir.resolve("blocked");
        Files.createDirectories(blocked.resolve("child"));
        assertThrows(java.io.IOException.class, () -> SafetensorsWriter.write(blocked, sample(), meta()));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "only the target and the blocking directory remain");
        }
    }

    @Test
    void namesThatUtf8CannotEncodeAreRefused() {
        List<SafetensorsTensor> lone = List.of(SafetensorsTensor.ofFloats("a\ud800", new long[] {0}, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.toBytes(lone, Map.of()));
    }

    @Test
    void tensorShapeMustMatchItsData() {
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsTensor.ofFloats("w", new long[] {2, 2}, new float[3]));
        assertThrows(IllegalStateException.class,
                () -> SafetensorsTensor.ofFloats("w", new long[] {1}, new float[1]).doubles());
    }

    private static void assertSame(List<SafetensorsTensor> expected, SafetensorsFile actual) {
        assertEquals(expected.stream().map(SafetensorsTensor::name).toList(), List.copyOf(actual.tensors().keySet()));
        for (SafetensorsTensor t : expected) {
            SafetensorsTensor r = actual.get(t.name());
            assertArrayEquals(t.shape(), r.shape(), t.name());
            assertEquals(t.dtype(), r.dtype(), t.name());
            if (t.isDouble()) {
                assertArrayEquals(t.doubles(), r.doubles(), t.name());
            } else {
                assertArrayEquals(t.floats(), r.floats(), t.name());
            }
        }
    }
}
