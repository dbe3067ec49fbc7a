package dev.distillery.autograd.io;

import static dev.distillery.autograd.io.SafetensorsBytes.file;
import static dev.distillery.autograd.io.SafetensorsBytes.floats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of broken files ({@link MalformedSafetensors}): each must be rejected with a
 * {@link SafetensorsException} whose message names the problem, before any allocation sized by
 * the file's claims (an OutOfMemoryError or any other exception type fails the test). Each case
 * is read from a byte array, from a file on disk and through the {@code Tensor} adapter.
 */
class SafetensorsMalformedTest {
    private static final String W8 = "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
    private static final byte[] TWO = floats(1f, 2f);

    @TempDir
    Path dir;

    static Stream<Arguments> corpus() {
        return MalformedSafetensors.all().stream().map(c -> Arguments.of(c.name(), c.bytes(), c.fragment()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void malformedFileIsRejectedWithASpecificMessage(String name, byte[] bytes, String fragment) throws Exception {
        SafetensorsException fromBytes = assertThrows(SafetensorsException.class, () -> SafetensorsReader.read(bytes));
        assertTrue(fromBytes.getMessage().contains(fragment),
                name + ": message \"" + fromBytes.getMessage() + "\" lacks \"" + fragment + "\"");
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, bytes);
        SafetensorsException fromFile = assertThrows(SafetensorsException.class, () -> SafetensorsReader.read(file));
        assertTrue(fromFile.getMessage().equals(fromBytes.getMessage()), fromFile.getMessage());
        // the adapter to Tensor adds nothing of its own for these: the reader's message passes through
        SafetensorsException fromAdapter = assertThrows(SafetensorsException.class, () -> TensorFiles.load(file));
        assertEquals(fromBytes.getMessage(), fromAdapter.getMessage());
        assertTrue(fromBytes.getMessage().length() <= PrintableText.MESSAGE_CHARS + 40, "message is cut to a readable length");
        assertTrue(fromBytes.getMessage().chars().noneMatch(c -> c < 0x20), "message has no control characters");
    }

    @Test
    void aHeaderOfMoreTensorsThanAnyModelHasIsRefusedWhileParsing() throws Exception {
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i <= HeaderParser.JSON_LIMITS.maxObjectMembers(); i++) {
            header.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[0],"
                    + "\"data_offsets\":[0,0]}");
        }
        byte[] bytes = file(header.append('}').toString(), new byte[0]);
        long t0 = System.nanoTime();
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsReader.read(bytes));
        assertTrue(e.getMessage().contains("object of more than 65536 members"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "refused within 5 s");
    }

    @Test
    void zeroElementTensorsWithHugeDimensionsAreValidFilesThatTheAdapterRefusesCleanly() throws Exception {
        byte[] bytes = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,0],\"data_offsets\":[0,0]}}",
                new byte[0]);
        assertEquals(0, SafetensorsReader.read(bytes).get("w").elementCount());
        Path file = dir.resolve("zero.safetensors");
        Files.write(file, bytes);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> TensorFiles.load(file));
        assertTrue(e.getMessage().contains("is 4294967296, more than a Tensor holds"), e.getMessage());
        Files.write(file, file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,0],"
                + "\"data_offsets\":[0,0]}}", new byte[0]));
        e = assertThrows(SafetensorsException.class, () -> TensorFiles.load(file));
        assertTrue(e.getMessage().contains("cannot be held by a Tensor"), e.getMessage());
        Files.write(file, file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3,0],\"data_offsets\":[0,0]}}", new byte[0]));
        assertEquals(0, TensorFiles.load(file).get("w").numel());
    }

    @Test
    void validCorpusBaseIsAccepted() throws Exception {
        SafetensorsReader.read(file("{" + W8 + "}", TWO));
        SafetensorsReader.read(file("{ \"w\" : { \"shape\" : [ 2 ] , \"data_offsets\" : [0,8], \"dtype\":\"F32\" } }\n\t ",
                TWO));
        SafetensorsReader.read(file("{\"n\\u00e9\\ud83d\\ude00\\/\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}",
                new byte[0]));
    }

    @Test
    void headerOnlyReadValidatesAgainstTheFileSize() throws Exception {
        Path file = dir.resolve("h.safetensors");
        Files.write(file, file("{" + W8 + "}", TWO));
        assertTrue(SafetensorsReader.readHeader(file).entries().get(0).name().equals("w"));
        Files.write(file, Arrays.copyOf(file("{" + W8 + "}", TWO), 8 + 54 + 4));
        assertThrows(SafetensorsException.class, () -> SafetensorsReader.readHeader(file));
        String bigButHonest = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}" + " ".repeat(1000);
        Files.write(file, file(bigButHonest, TWO));
        assertTrue(SafetensorsReader.readHeader(file).headerLength() == bigButHonest.getBytes(StandardCharsets.UTF_8).length);
    }
}
