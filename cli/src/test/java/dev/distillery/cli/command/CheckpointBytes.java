package dev.distillery.cli.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distillery.nn.checkpoint.Checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Test helper: two checkpoint folders hold the same files with the same bytes (generation names aside). */
final class CheckpointBytes {
    private CheckpointBytes() {
    }

    static void assertSame(Path expected, Path actual) throws IOException {
        Path a = Checkpoint.files(expected);
        Path b = Checkpoint.files(actual);
        List<String> names = names(a);
        assertEquals(names, names(b), "files of " + actual);
        for (String n : names) {
            assertArrayEquals(Files.readAllBytes(a.resolve(n)), Files.readAllBytes(b.resolve(n)), n + " differs");
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
