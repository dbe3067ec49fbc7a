package dev.distillery.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.MlpDenoiser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replacing a checkpoint is "old or new": a save stopped between any two of its steps leaves a
 * folder from which the old checkpoint or the new one loads, never none, and the next save
 * cleans up after it. Also: a save never replaces a folder that is not a checkpoint, and the
 * earlier flat layout and its leftovers are read and recovered.
 */
@ExtendWith(ScalarBackendExtension.class)
class CheckpointReplaceTest {
    private static final MlpConfig SMALL = MlpConfig.w2().withWidth(8).withTimeDim(4).withSeed(3);

    @TempDir
    Path tmp;

    /** Thrown by the listener to stop a save in its tracks, as a kill would. */
    private static final class Stop extends IOException {
        private static final long serialVersionUID = 1L;
    }

    @AfterEach
    void stopListening() {
        GenerationFolder.listen(null);
    }

    @Test
    void aSaveStoppedAtAnyStepLeavesTheOldOrTheNewCheckpoint() throws IOException {
        MlpDenoiser net = SMALL.build();
        for (GenerationFolder.Step at : GenerationFolder.Step.values()) {
            Path dir = tmp.resolve(at.name());
            Checkpoint.save(dir, SMALL, net, null, null, new TrainingState(1, null));
            GenerationFolder.listen((step, folder) -> {
                if (step == at) {
                    throw new Stop();
                }
            });
            try {
                Checkpoint.save(dir, SMALL, net, null, null, new TrainingState(2, null));
            } catch (Stop expected) {
                // the process "died" here
            }
            GenerationFolder.listen(null);
            long step = Checkpoint.readState(dir).step();
            boolean committed = at.ordinal() >= GenerationFolder.Step.RENAMED.ordinal();
            assertEquals(committed ? 2 : 1, step, "stopped at " + at);
            Checkpoint.loadModel(dir);

            Checkpoint.save(dir, SMALL, net, null, null, new TrainingState(3, null));
            assertEquals(3, Checkpoint.readState(dir).step());
            assertEquals(List.of(GenerationFolder.LOCK, GenerationFolder.POINTER, Checkpoint.files(dir).getFileName().toString()),
                    names(dir), "the next save leaves one generation and nothing hidden but the lock, after " + at);
            assertEquals(Checkpoint.files(dir).getFileName() + "\n", Files.readString(dir.resolve(GenerationFolder.POINTER)));
        }
    }

    @Test
    void aFolderOfOtherFilesIsNeverReplaced() throws IOException {
        Path precious = Files.createDirectories(tmp.resolve("precious"));
        Files.writeString(precious.resolve("thesis.tex"), "years of work");
        IOException e = assertThrows(IOException.class, () -> Checkpoint.save(precious, SMALL, SMALL.build(), null, null,
                new TrainingState(0, null)));
        assertTrue(e.getMessage().contains("is not a checkpoint folder"), e.getMessage());
        assertEquals(List.of("thesis.tex"), names(precious));
        assertFalse(Checkpoint.isCheckpoint(precious));

        Path file = Files.writeString(tmp.resolve("notes.txt"), "x");
        assertThrows(IOException.class, () -> Checkpoint.save(file, SMALL, SMALL.build(), null, null, new TrainingState(0, null)));
        assertEquals("x", Files.readString(file));

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Checkpoint.save(empty, SMALL, SMALL.build(), null, null, new TrainingState(0, null));
        assertTrue(Checkpoint.isCheckpoint(empty));
    }

    @Test
    void aHeldFolderIsPublishedByItsHolderAndRefusedToEveryoneElseUntilReleased() throws IOException {
        Path dir = tmp.resolve("held");
        try (GenerationFolder.Hold hold = GenerationFolder.hold(dir)) {
            Checkpoint.save(dir, SMALL, SMALL.build(), null, null, new TrainingState(1, null));
            Checkpoint.save(dir.resolve("..").resolve("held"), SMALL, SMALL.build(), null, null, new TrainingState(2, null));
            assertEquals(2, Checkpoint.readState(dir).step(), "the holder publishes without locking again");
            var second = assertThrows(GenerationFolder.InUseException.class, () -> GenerationFolder.hold(dir));
            assertEquals(dir.toAbsolutePath().normalize(), second.folder());
            assertTrue(second.getMessage().contains("is being written by another process"), second.getMessage());
        }
        try (GenerationFolder.Hold again = GenerationFolder.hold(dir)) {
            assertTrue(Files.isRegularFile(dir.resolve(GenerationFolder.LOCK)));
        }
        Checkpoint.save(dir, SMALL, SMALL.build(), null, null, new TrainingState(3, null));
        assertEquals(List.of(GenerationFolder.LOCK, GenerationFolder.POINTER, Checkpoint.files(dir).getFileName().toString()),
                names(dir), "released: a plain save locks for itself and leaves one generation");
    }

    @Test
    void extraFilesTravelWithTheirGeneration() throws IOException {
        Path dir = tmp.resolve("c");
        Checkpoint.save(dir, SMALL, SMALL.build(), null, null, new TrainingState(0, null),
                Map.of("diffusion.json", "{\"prediction\": \"v\"}\n".getBytes()));
        assertEquals("{\"prediction\": \"v\"}\n", Files.readString(Checkpoint.file(dir, "diffusion.json")));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(dir, SMALL, SMALL.build(), null, null,
                new TrainingState(0, null), Map.of("../escape.json", new byte[0])));
    }

    @Test
    void theFlatLayoutIsReadAndConvertedAndItsLeftoversRecovered() throws IOException {
        MlpDenoiser net = SMALL.build();
        Path source = tmp.resolve("source");
        Checkpoint.save(source, SMALL, net, null, null, new TrainingState(7, null));
        // a flat checkpoint aside, as a kill between the two renames of the earlier scheme left it
        Path aside = tmp.resolve(".flat.old-1a2b3c");
        copyFlat(Checkpoint.files(source), aside);
        Path flat = tmp.resolve("flat");
        Checkpoint.save(flat, SMALL, net, null, null, new TrainingState(8, null));
        assertEquals(8, Checkpoint.readState(flat).step());
        assertFalse(Files.exists(aside), "the leftover is gone once a checkpoint exists");

        Path lost = tmp.resolve("lost");
        copyFlat(Checkpoint.files(source), tmp.resolve(".lost.old-99"));
        Checkpoint.save(lost, SMALL, net, null, null, new TrainingState(9, null));
        assertEquals(9, Checkpoint.readState(lost).step());

        Path legacy = tmp.resolve("legacy");
        copyFlat(Checkpoint.files(source), legacy);
        Files.writeString(legacy.resolve("README"), "mine");
        assertEquals(7, Checkpoint.readState(legacy).step(), "a flat checkpoint is read as it is");
        Checkpoint.save(legacy, SMALL, net, null, null, new TrainingState(10, null));
        assertEquals(10, Checkpoint.readState(legacy).step());
        assertFalse(Files.exists(legacy.resolve(Checkpoint.CONFIG)), "the flat files are replaced by the generation");
        assertEquals("mine", Files.readString(legacy.resolve("README")), "files that are not the checkpoint's stay");
    }

    @Test
    void identicalStatesGiveIdenticalBytes() throws IOException {
        MlpDenoiser net = SMALL.build();
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Checkpoint.save(a, SMALL, net, null, null, new TrainingState(4, new dev.distillery.autograd.random.Rng(2).state()));
        Checkpoint.save(b, SMALL, net, null, null, new TrainingState(4, new dev.distillery.autograd.random.Rng(2).state()));
        for (String f : List.of(Checkpoint.CONFIG, Checkpoint.MODEL, Checkpoint.STATE)) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(Checkpoint.file(a, f)), Files.readAllBytes(Checkpoint.file(b, f))), f);
        }
        String state = Files.readString(Checkpoint.file(a, Checkpoint.STATE));
        assertTrue(state.indexOf("\"key\"") < state.indexOf("\"position\"") && state.indexOf("\"rng\"") < state.indexOf("\"step\""),
                "keys are sorted: " + state);
    }

    private static void copyFlat(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
