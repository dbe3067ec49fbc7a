package dev.distillery.autograd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON reader refuses hostile input with one clean exception type and bounded cost. */
class JsonBoundsTest {
    @TempDir
    Path tmp;

    @Test
    void deepNestingIsRefusedWithoutOverflowingTheStack() {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting deeper than 64 levels"), e.getMessage());
        String objects = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertThrows(IllegalArgumentException.class, () -> Json.parse(objects));
        Json.parse("[".repeat(64) + "]".repeat(64));
    }

    @Test
    void everyMalformedInputIsAnIllegalArgumentException() {
        for (String bad : List.of("", "\"abc", "\"\\", "\"\\u12\"", "\"\\uzzzz\"", "\"\\q\"", "{\"a\" 1}", "[1,]x", "01",
                "1e999", "-", "+1", "99999999999999999999", "{\"a\":1,\"a\":2}", "\"a\u0001\"", "nul", "[1 2]")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void longStringsAndFilesAreRefused() throws IOException {
        String huge = "\"" + "x".repeat(Json.MAX_STRING_CHARS + 1) + "\"";
        assertThrows(IllegalArgumentException.class, () -> Json.parse(huge));
        Path big = tmp.resolve("big.json");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {' '}), Json.MAX_FILE_BYTES);   // sparse
        }
        IOException e = assertThrows(IOException.class, () -> Json.read(big));
        assertTrue(e.getMessage().contains("at most"), e.getMessage());
    }

    @Test
    void messagesCarryNoControlCharacters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("\u001b[31m"));
        assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20), e.getMessage());
    }

    @Test
    void keysAreWrittenSortedWhateverTheMapType() {
        Map<String, Object> m = new HashMap<>();
        for (String k : List.of("zeta", "alpha", "mid", "beta")) {
            m.put(k, 1L);
        }
        String text = Json.write(m);
        assertTrue(text.indexOf("alpha") < text.indexOf("beta") && text.indexOf("beta") < text.indexOf("mid")
                && text.indexOf("mid") < text.indexOf("zeta"), text);
        assertEquals(Json.write(Map.of("b", 1L, "a", List.of(1L, 2.5))), Json.write(Map.of("a", List.of(1L, 2.5), "b", 1L)));
    }
}
