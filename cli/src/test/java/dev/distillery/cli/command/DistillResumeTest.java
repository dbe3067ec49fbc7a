package dev.distillery.cli.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.distill.DistillCheckpoint;
import dev.distillery.nn.checkpoint.GenerationFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distill --checkpoint} killed and resumed ends where an uninterrupted run ends: the same
 * student files, the same metrics (timings aside) and the same saved training, byte for byte.
 * Each kill is a child JVM that dies without cleanup exactly between two steps of a save
 * ({@link GenerationFolder#listen}, as {@link CrashResumeTest} does for {@code train}); the resume
 * runs in this JVM. Also: a run with checkpoints trains exactly as one without; a resume with
 * other flags, or of a folder that another run holds, is refused in one line.
 *
 * <p>The method is DDGAN, the one with the most state (generator, its EMA, its Adam, the
 * discriminator with its own Adam and lazy-R1 count), on the analytic teacher with a tiny budget.
 */
class DistillResumeTest {
    private static final int STEPS = 6;
    private static final int EVERY = 2;

    @TempDir
    static Path tmp;
    private static Path reference;

    @BeforeAll
    static void uninterruptedRuns() {
        CliRunner r = CliRunner.run(distill("reference", tmp.resolve("reference-checkpoint")));
        assertEquals(0, r.exitCode(), r.err());
        reference = tmp.resolve("reference");
    }

    private static String[] distill(String name, Path checkpoint, String... more) {
        List<String> args = new ArrayList<>(List.of("distill", "--method", "ddgan", "--steps", "" + STEPS, "--batch", "16",
                "--samples", "40", "--sample-steps", "4", "--narrow", "--seed", "3", "--quiet",
                "--out", tmp.toString(), "--name", name));
        if (checkpoint != null) {
            args.addAll(List.of("--checkpoint", checkpoint.toString(), "--checkpoint-every", "" + EVERY));
        }
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aRunWithoutCheckpointsTrainsTheSameStudent() throws IOException {
        CliRunner r = CliRunner.run(distill("plain", null));
        assertEquals(0, r.exitCode(), r.err());
        assertSameRun(reference, tmp.resolve("plain"));
    }

    @Test
    void killedBetweenTheStepsOfASaveAndResumedGivesTheSameBytes() throws Exception {
        Map<String, Integer> points = new LinkedHashMap<>();
        points.put("STARTED:1", 0);   // before the first save exists: the resume starts from step 0
        points.put("WRITTEN:2", 2);   // the second save on disk, not yet renamed in: resumes after step 2
        points.put("RENAMED:2", 4);   // renamed in, pointer still on the first: resumes after step 4
        points.put("POINTED:3", 6);   // the last save, before pruning: nothing left to train
        for (String point : points.keySet()) {
            String name = "killed-" + point.replace(':', '-');
            Path checkpoint = tmp.resolve(name + "-checkpoint");
            Path log = tmp.resolve(name + ".log");
            Process child = TrainChild.start(point, log, distill(name, checkpoint));
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), point + ": the child ends");
            assertEquals(137, child.exitValue(), point + ": the child was killed: " + Files.readString(log));
            assertFalse(Files.exists(tmp.resolve(name)), point + ": a killed run writes no run folder");

            CliRunner resumed = CliRunner.run(distill(name, checkpoint, "--resume"));
            assertEquals(0, resumed.exitCode(), point + ": " + resumed.err() + " (child: " + Files.readString(log) + ")");
            int after = points.get(point);
            String line = "checkpoint: " + checkpoint + (after > 0 ? " (resumed after " + after + " steps)" : "");
            assertTrue(resumed.out().lines().anyMatch(line::equals), point + ": " + resumed.out());
            assertSameRun(reference, tmp.resolve(name));
            assertSameFiles(DistillCheckpoint.files(tmp.resolve("reference-checkpoint")), DistillCheckpoint.files(checkpoint));
            assertEquals(List.of(GenerationFolder.LOCK, GenerationFolder.POINTER,
                            DistillCheckpoint.files(checkpoint).getFileName().toString()), names(checkpoint),
                    point + ": one generation and no leftovers");
        }
    }

    @Test
    void aResumeWithOtherFlagsIsRefusedNamingThem() {
        Path checkpoint = tmp.resolve("reference-checkpoint");
        CliRunner r = CliRunner.run(distill("other-flags", checkpoint, "--resume", "--seed", "4", "--batch", "8"));
        assertEquals(2, r.exitCode());
        assertEquals("distillery: distill checkpoint " + checkpoint + " was trained with --batch 16, --seed 3; resume it "
                + "with the same flags, or pass --force to start it again with these", r.err().strip());

        CliRunner otherSettings = CliRunner.run(distill("other-settings", checkpoint, "--resume", "--set", "ema=0.99"));
        assertEquals(2, otherSettings.exitCode());
        assertEquals("distillery: distill checkpoint " + checkpoint + " was trained with no --set; resume it "
                + "with the same flags, or pass --force to start it again with these", otherSettings.err().strip());

        CliRunner noResume = CliRunner.run(distill("no-resume", checkpoint));
        assertEquals(2, noResume.exitCode());
        assertTrue(noResume.err().contains("pass --resume to continue its training"), noResume.err());

        CliRunner loose = CliRunner.run("distill", "--method", "ddgan", "--resume", "--out", tmp.toString());
        assertEquals(2, loose.exitCode());
        assertEquals("distillery: --resume needs --checkpoint DIR, the folder the run to continue was saved in",
                loose.err().strip());
    }

    @Test
    void aFolderHeldByAnotherRunIsRefusedByTrainAndDistill() throws IOException {
        Path busy = tmp.resolve("busy-checkpoint");
        try (GenerationFolder.Hold held = GenerationFolder.hold(busy)) {
            String expected = "distillery: checkpoint folder " + busy + " is in use by another distillery run (it holds "
                    + busy.resolve(GenerationFolder.LOCK) + "); wait for that run to end, or choose another --checkpoint";
            CliRunner d = CliRunner.run(distill("busy", busy, "--force"));
            assertEquals(2, d.exitCode());
            assertEquals(expected, d.err().strip());
            CliRunner t = CliRunner.run("train", "--steps", "2", "--checkpoint", busy.toString(), "--force", "--quiet");
            assertEquals(2, t.exitCode());
            assertEquals(expected, t.err().strip());
        }
        assertFalse(Files.exists(tmp.resolve("busy")), "no run folder");
    }

    @Test
    void aTeacherCheckpointIsNotADistillCheckpoint() {
        Path teacher = tmp.resolve("teacher");
        CliRunner t = CliRunner.run("train", "--steps", "2", "--checkpoint", teacher.toString(), "--quiet");
        assertEquals(0, t.exitCode(), t.err());
        CliRunner d = CliRunner.run(distill("into-teacher", teacher, "--force"));
        assertEquals(2, d.exitCode());
        assertEquals("distillery: folder " + teacher + " holds files but no distill checkpoint (no "
                + DistillCheckpoint.TENSORS + "); it is left alone (--force replaces only distill checkpoint folders): "
                + "choose another --checkpoint", d.err().strip());
    }

    @Test
    void aTeacherCheckpointRetrainedSinceTheSaveIsRefused() {
        Path teacher = tmp.resolve("retrained-teacher");
        Path checkpoint = tmp.resolve("retrained-checkpoint");
        assertEquals(0, CliRunner.run("train", "--steps", "2", "--checkpoint", teacher.toString(), "--quiet").exitCode());
        String[] run = {"distill", "--method", "kd", "--steps", "2", "--batch", "8", "--samples", "20", "--sample-steps", "1",
                "--teacher-checkpoint", teacher.toString(), "--checkpoint", checkpoint.toString(), "--quiet",
                "--out", tmp.toString()};
        CliRunner first = CliRunner.run(run);
        assertEquals(0, first.exitCode(), first.err());

        assertEquals(0, CliRunner.run("train", "--steps", "3", "--checkpoint", teacher.toString(), "--force", "--quiet")
                .exitCode());
        CliRunner refused = CliRunner.run(concat(run, "--resume"));
        assertEquals(2, refused.exitCode());
        assertEquals("distillery: distill checkpoint " + checkpoint + " was distilled from a teacher with other weights "
                + "than this run's (--teacher-checkpoint " + teacher.toAbsolutePath().normalize() + " changed since); "
                + "resume with that teacher, or pass --force to start again", refused.err().strip());
    }

    private static String[] concat(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** The same student files byte for byte and the same metrics.csv, seconds aside. */
    private static void assertSameRun(Path expected, Path actual) throws IOException {
        assertSameFiles(expected.resolve(DistillCommand.STUDENT_FOLDER), actual.resolve(DistillCommand.STUDENT_FOLDER));
        assertEquals(withoutSeconds(expected.resolve("metrics.csv")), withoutSeconds(actual.resolve("metrics.csv")),
                "metrics of " + actual);
    }

    private static List<String> withoutSeconds(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            StringBuilder kept = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                if (i >= header.size() || !header.get(i).contains("seconds")) {
                    kept.append(cells[i]).append(',');
                }
            }
            out.add(kept.toString());
        }
        return out;
    }

    private static void assertSameFiles(Path expected, Path actual) throws IOException {
        List<String> names = names(expected);
        assertEquals(names, names(actual), "files of " + actual);
        for (String n : names) {
            if (Files.isDirectory(expected.resolve(n))) {
                assertSameFiles(expected.resolve(n), actual.resolve(n));
            } else {
                assertArrayEquals(Files.readAllBytes(expected.resolve(n)), Files.readAllBytes(actual.resolve(n)),
                        actual.resolve(n) + " differs");
            }
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

}
