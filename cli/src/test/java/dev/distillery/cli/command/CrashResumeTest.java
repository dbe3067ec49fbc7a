package dev.distillery.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.checkpoint.GenerationFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} killed at seeded random points, resumed, and compared bit for bit with an
 * uninterrupted run. Each kill is a separate JVM that dies without cleanup: either exactly
 * between two steps of a checkpoint replacement (forced through {@link GenerationFolder#listen}),
 * or by {@code kill -9} after a seeded delay, wherever training then is. The resume runs in
 * this JVM, so every case also checks that a checkpoint written by one JVM continues in another
 * with the same bytes; a run left to finish in a child JVM checks it directly.
 */
class CrashResumeTest {
    /** Three saves of two steps each: the cost of a child is its JVM's start and warm-up, not its steps. */
    private static final int STEPS = 6;
    private static final int EVERY = 2;
    private static final long SEED = Long.getLong("distillery.crash.seed", 22L);
    /** Files per save: config, model, optimizer, EMA, diffusion.json, training.json, state.json. */
    private static final int FILES_PER_SAVE = 7;

    @TempDir
    static Path tmp;
    private static Path reference;

    @BeforeAll
    static void uninterruptedRun() {
        reference = tmp.resolve("reference");
        CliRunner r = CliRunner.run(train(reference));
        assertEquals(0, r.exitCode(), r.err());
    }

    private static String[] train(Path checkpoint, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--steps", "" + STEPS, "--checkpoint-every", "" + EVERY,
                "--seed", "5", "--checkpoint", checkpoint.toString(), "--quiet"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void killedBetweenTheStepsOfAReplacementOrAnywhereAndResumedGivesTheSameBytes() throws Exception {
        int saves = STEPS / EVERY;
        List<String> points = new ArrayList<>(List.of(
                "STARTED:1",                                   // before the first checkpoint exists
                "WRITTEN:2",                                   // all files on disk, not yet renamed in
                "RENAMED:2",                                   // renamed in, pointer still on the old one
                "POINTED:" + saves));                          // last save, before pruning
        Random random = new Random(SEED);
        for (int i = 0; i < 2; i++) {
            points.add("FILE_WRITTEN:" + (1 + random.nextInt(saves * FILES_PER_SAVE)));
        }
        points.add("kill-after-ms:" + (500 + random.nextInt(2500)));
        for (String point : points) {
            Path dir = tmp.resolve(point.replace(':', '-'));
            Path log = tmp.resolve(dir.getFileName() + ".log");
            Process child = TrainChild.start(point.startsWith("kill") ? "none" : point, log, train(dir));
            if (point.startsWith("kill")) {
                Thread.sleep(Long.parseLong(point.substring(point.indexOf(':') + 1)));
                child.destroyForcibly();
            }
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), point + ": the child ends");
            String childErr = Files.readString(log);
            CliRunner resumed = CliRunner.run(train(dir, "--resume"));
            assertEquals(0, resumed.exitCode(), point + ": " + resumed.err() + " (child: " + childErr + ")");
            CheckpointBytes.assertSame(reference, dir);
            assertEquals(List.of(GenerationFolder.LOCK, GenerationFolder.POINTER, Checkpoint.files(dir).getFileName().toString()),
                    names(dir), point + ": one generation and no leftovers");
        }
    }

    @Test
    void aRunInAnotherJvmWritesTheSameBytes() throws Exception {
        Path dir = tmp.resolve("other-jvm");
        Path log = tmp.resolve("other-jvm.log");
        Process child = TrainChild.start("none", log, train(dir));
        assertTrue(child.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), Files.readString(log));
        CheckpointBytes.assertSame(reference, dir);
    }


    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
