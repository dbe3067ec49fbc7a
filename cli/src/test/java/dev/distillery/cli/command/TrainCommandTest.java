package dev.distillery.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.cli.teacher.TeacherTraining;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.checkpoint.GenerationFolder;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @TempDir
    Path tmp;

    @Test
    void trainsWritesACheckpointThatSampleLoadsWithoutAPredictionFlag() throws Exception {
        Path ckpt = tmp.resolve("teacher");
        CliRunner r = CliRunner.run("train", "--steps", "5", "--checkpoint", ckpt.toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("trained 25gaussians teacher: 5 steps"), r.out());
        for (String f : new String[] {"config.json", "model.safetensors", TeacherTraining.DESCRIPTION}) {
            assertTrue(Files.isRegularFile(Checkpoint.file(ckpt, f)), f);
        }
        assertTrue(Files.readString(Checkpoint.file(ckpt, TeacherTraining.DESCRIPTION)).contains("\"prediction\": \"v\""));
        CliRunner s = CliRunner.run("sample", "--checkpoint", ckpt.toString(), "--steps", "2", "--count", "8",
                "--out", tmp.resolve("s.csv").toString());
        assertEquals(0, s.exitCode(), s.err());
        assertEquals(9, Files.readAllLines(tmp.resolve("s.csv")).size(), "header and 8 rows");
    }

    @Test
    void badInputIsOneLineWithExitCodeTwo() throws Exception {
        Files.createDirectories(tmp.resolve("exists"));
        for (String[] args : new String[][] {
                {"train", "--steps", "0", "--checkpoint", tmp.resolve("a").toString()},
                {"train", "--steps", "x", "--checkpoint", tmp.resolve("a").toString()},
                {"train", "--dataset", "mnist", "--checkpoint", tmp.resolve("a").toString()},
                {"train", "--checkpoint", tmp.resolve("exists").toString()},
                {"train"}}) {
            CliRunner r = CliRunner.run(args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().split("\n").length, r.err());
        }
    }

    @Test
    void forceReplacesOnlyACheckpointAndNeverAUsersFolderOrFile() throws Exception {
        Path precious = Files.createDirectories(tmp.resolve("precious"));
        Files.writeString(precious.resolve("thesis.tex"), "years of work");
        Path file = Files.writeString(tmp.resolve("notes.txt"), "mine");
        for (Path p : new Path[] {precious, file}) {
            for (String flag : new String[] {"--force", "--resume"}) {
                CliRunner r = CliRunner.run("train", "--steps", "2", "--checkpoint", p.toString(), flag, "--quiet");
                assertEquals(2, r.exitCode(), r.err());
                assertEquals(1, r.err().strip().split("\n").length, r.err());
                assertTrue(r.err().contains("left alone"), r.err());
            }
        }
        assertEquals("years of work", Files.readString(precious.resolve("thesis.tex")));
        assertEquals(1, Files.list(precious).count());
        assertEquals("mine", Files.readString(file));

        Path ckpt = tmp.resolve("ckpt");
        assertEquals(0, CliRunner.run("train", "--steps", "2", "--checkpoint", ckpt.toString(), "--quiet").exitCode());
        CliRunner again = CliRunner.run("train", "--steps", "3", "--checkpoint", ckpt.toString(), "--quiet");
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("pass --resume to continue its training, --force to train again"), again.err());
        CliRunner forced = CliRunner.run("train", "--steps", "3", "--checkpoint", ckpt.toString(), "--force", "--quiet");
        assertEquals(0, forced.exitCode(), forced.err());
        assertEquals(3, Checkpoint.readState(ckpt).step());
    }

    @Test
    void aRunStoppedInsideACheckpointReplacementResumesToTheSameBytes() throws Exception {
        Path straight = tmp.resolve("straight");
        assertEquals(0, CliRunner.run("train", "--steps", "6", "--checkpoint-every", "2", "--checkpoint",
                straight.toString(), "--quiet").exitCode());

        Path stopped = tmp.resolve("stopped");
        int[] saves = {0};
        GenerationFolder.listen((step, folder) -> {
            if (step == GenerationFolder.Step.WRITTEN && ++saves[0] == 2) {
                throw new java.io.IOException("stopped between writing the files and the rename");
            }
        });
        CliRunner r;
        try {
            r = CliRunner.run("train", "--steps", "6", "--checkpoint-every", "2", "--checkpoint", stopped.toString(), "--quiet");
        } finally {
            GenerationFolder.listen(null);
        }
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(2, Checkpoint.readState(stopped).step(), "the first save survives");

        CliRunner other = CliRunner.run("train", "--steps", "7", "--checkpoint-every", "2", "--checkpoint", stopped.toString(),
                "--resume", "--quiet");
        assertEquals(2, other.exitCode());
        assertTrue(other.err().contains("was trained with --steps 6"), other.err());

        CliRunner resumed = CliRunner.run("train", "--steps", "6", "--checkpoint-every", "2", "--checkpoint", stopped.toString(),
                "--resume", "--quiet");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("(resumed after 2)"), resumed.out());
        CheckpointBytes.assertSame(straight, stopped);
    }
}
