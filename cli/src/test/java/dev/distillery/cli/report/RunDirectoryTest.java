package dev.distillery.cli.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.cli.error.CliException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @TempDir
    Path root;

    private List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void failureBeforeCommitLeavesNothing() throws IOException {
        RuntimeException boom = new RuntimeException("training diverged");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> {
            try (RunDirectory run = RunDirectory.create(root, "demo", false)) {
                run.writeString("metrics.json", "[]");
                run.writeString("plots/a.txt", "a");
                assertTrue(Files.exists(run.staging().resolve("plots/a.txt")));
                throw boom;
            }
        });
        assertEquals(boom, thrown);
        assertFalse(Files.exists(root.resolve("demo")));
        assertEquals(List.of(), entries(root), "the staging folder is gone too");
    }

    @Test
    void commitMovesEverythingIntoPlaceAndLeavesNoTemporaries() throws IOException {
        Path target;
        try (RunDirectory run = RunDirectory.create(root, "demo", false)) {
            assertFalse(Files.exists(run.target()), "nothing visible before the commit");
            assertTrue(run.staging().getFileName().toString().startsWith(".demo.tmp-"));
            run.writeString("metrics.csv", "method,steps\n");
            run.write("plots/loss.bin", new byte[] {1, 2, 3});
            target = run.commit();
            assertTrue(run.committed());
        }
        assertEquals(root.resolve("demo"), target);
        assertEquals(List.of("demo"), entries(root));
        assertEquals(List.of(RunFolderLock.NAME, "metrics.csv", "plots"), entries(target));
        assertEquals("method,steps\n", Files.readString(target.resolve("metrics.csv")));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target.resolve("plots/loss.bin")));
        assertEquals(List.of("loss.bin"), entries(target.resolve("plots")), "no .tmp- siblings of files");
    }

    @Test
    void existingRunIsRefusedWithTheFix() throws IOException {
        Files.createDirectories(root.resolve("demo"));
        Files.writeString(root.resolve("demo/keep.txt"), "old");
        CliException e = assertThrows(CliException.class, () -> RunDirectory.create(root, "demo", false));
        assertTrue(e.getMessage().contains(root.resolve("demo").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("--force") && e.getMessage().contains("--name"), e.getMessage());
        assertEquals(List.of("demo"), entries(root), "no staging folder made");
        assertEquals("old", Files.readString(root.resolve("demo/keep.txt")));
    }

    @Test
    void runCreatedByAnotherProcessMeanwhileIsRefusedAtCommit() throws IOException {
        try (RunDirectory run = RunDirectory.create(root, "demo", false)) {
            run.writeString("new.txt", "new");
            Files.createDirectories(root.resolve("demo"));
            assertThrows(CliException.class, run::commit);
        }
        assertEquals(List.of("demo"), entries(root));
        assertEquals(List.of(), entries(root.resolve("demo")));
    }

    @Test
    void forceReplacesAnExistingRunWhole() throws IOException {
        Files.createDirectories(root.resolve("demo"));
        Files.writeString(root.resolve("demo/old.txt"), "old");
        Files.writeString(root.resolve("demo/metrics.json"), "[]");
        try (RunDirectory run = RunDirectory.create(root, "demo", true)) {
            run.writeString("new.txt", "new");
            assertTrue(Files.exists(root.resolve("demo/old.txt")), "the old run stays until the commit");
            run.commit();
        }
        assertEquals(List.of("demo"), entries(root), "the old run was deleted, not left aside");
        assertEquals(List.of(RunFolderLock.NAME, "new.txt"), entries(root.resolve("demo")));
    }

    @Test
    void forceNeverReplacesAFolderThatIsNotARun() throws IOException {
        Path precious = Files.createDirectories(root.resolve("precious"));
        Files.writeString(precious.resolve("thesis.tex"), "years of work");
        Files.writeString(root.resolve("notes"), "a file");
        for (String name : List.of("precious", "notes")) {
            CliException e = assertThrows(CliException.class, () -> RunDirectory.create(root, name, true));
            assertTrue(e.getMessage().contains("is not a run folder") && e.getMessage().contains("left alone"), e.getMessage());
        }
        try (RunDirectory run = RunDirectory.create(root, "late", true)) {
            Files.createDirectories(root.resolve("late"));
            Files.writeString(root.resolve("late/mine.txt"), "made meanwhile");
            assertThrows(CliException.class, run::commit, "checked again at the commit");
        }
        assertEquals("years of work", Files.readString(precious.resolve("thesis.tex")));
        assertEquals("made meanwhile", Files.readString(root.resolve("late/mine.txt")));
        assertEquals(List.of("late", "notes", "precious"), entries(root));
    }

    @Test
    void theNextRunFinishesOrUndoesWhatKilledRunsLeft() throws IOException {
        // killed between the two renames of a --force commit: the complete new run is moved in
        run(root.resolve(".a.old-0000000a"), "old a");
        run(root.resolve(".a.tmp-0000000a"), "new a");
        // killed between the renames with the staging folder gone: the old run is put back
        run(root.resolve(".b.old-0000000b"), "old b");
        // killed after the commit, before the old run was deleted
        run(root.resolve("c"), "new c");
        run(root.resolve(".c.old-0000000c"), "old c");
        // killed before any commit
        run(root.resolve(".d.tmp-0000000d"), "half d");
        // not ours: no marker
        Files.createDirectories(root.resolve(".e.tmp-0000000e"));
        try (RunDirectory run = RunDirectory.create(root, "next", false)) {
            assertEquals("new a", Files.readString(root.resolve("a/what")));
            assertEquals("old b", Files.readString(root.resolve("b/what")));
            assertEquals("new c", Files.readString(root.resolve("c/what")));
            assertEquals(List.of(".e.tmp-0000000e", run.staging().getFileName().toString(), "a", "b", "c"), entries(root));
        }
    }

    @Test
    void aLiveRunIsNotMistakenForALeftover() throws IOException {
        try (RunDirectory live = RunDirectory.create(root, "live", false)) {
            live.writeString("metrics.json", "[]");
            try (RunDirectory other = RunDirectory.create(root, "other", false)) {
                assertTrue(Files.exists(live.staging().resolve("metrics.json")), "the other run left it alone");
            }
            live.commit();
        }
        assertTrue(Files.exists(root.resolve("live/metrics.json")));
    }

    private static void run(Path folder, String what) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(RunFolderLock.NAME), "");
        Files.writeString(folder.resolve("what"), what);
    }

    @Test
    void unwritableLocationNamesThePathAndTheFix() throws IOException {
        Path file = root.resolve("not-a-folder");
        Files.writeString(file, "x");
        CliException e = assertThrows(CliException.class, () -> RunDirectory.create(file.resolve("runs"), "demo", false));
        assertTrue(e.getMessage().contains("not-a-folder"), e.getMessage());
        assertTrue(e.getMessage().contains("--out"), e.getMessage());
        CliException e2 = assertThrows(CliException.class, () -> RunDirectory.create(file, "demo", false));
        assertTrue(e2.getMessage().contains("a file is in the way"), e2.getMessage());
    }

    @Test
    void namesMustBePlainFolderNames() {
        for (String bad : new String[] {"../escape", ".hidden", "a/b", "", "sp ace"}) {
            CliException e = assertThrows(CliException.class, () -> RunDirectory.create(root, bad, false), bad);
            assertTrue(e.getMessage().contains("--name"), e.getMessage());
        }
    }

    @Test
    void filePathsCannotLeaveTheRun() {
        try (RunDirectory run = RunDirectory.create(root, "demo", false)) {
            assertThrows(IllegalArgumentException.class, () -> run.resolve("../outside.txt"));
            assertThrows(IllegalArgumentException.class, () -> run.resolve("."));
        }
    }

    @Test
    void writingAfterTheCommitIsAnError() {
        try (RunDirectory run = RunDirectory.create(root, "demo", false)) {
            run.commit();
            assertThrows(IllegalStateException.class, () -> run.writeString("late.txt", "x"));
        }
    }

    @Test
    void generatedNamesCarryTimeAndCommandAndNeverCollide() throws IOException {
        Clock clock = Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC);
        assertEquals("20250304-050607-demo", RunDirectory.generatedName(root, "demo", clock));
        Files.createDirectories(root.resolve("20250304-050607-demo"));
        Files.createDirectories(root.resolve("20250304-050607-demo-2"));
        assertEquals("20250304-050607-demo-3", RunDirectory.generatedName(root, "demo", clock));
    }

    @Test
    void atomicFileWriteReplacesContentAndLeavesNoTemporary() throws IOException {
        Path f = root.resolve("sub/x.txt");
        AtomicFiles.writeString(f, "first");
        AtomicFiles.writeString(f, "second");
        assertEquals("second", Files.readString(f));
        assertEquals(List.of("x.txt"), entries(root.resolve("sub")));
    }

    @Test
    void interruptedProcessLeavesNoRun() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RunDirectoryChild.class.getName(), root.toString(), "demo")
                .redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            assertEquals("ready", line, "child output");
            assertEquals(1, entries(root).size(), "the staging folder exists while the run is going");
            p.destroy(); // SIGTERM: shutdown hooks run, as on Ctrl-C
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child exits");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(List.of(), entries(root), "the shutdown hook removed the staging folder");
    }
}
