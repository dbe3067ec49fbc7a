package dev.distillery.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            assertTrue(Files.isRegularFile(ckpt.resolve(f)), f);
        }
        assertTrue(Files.readString(ckpt.resolve(TeacherTraining.DESCRIPTION)).contains("\"prediction\": \"v\""));
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
}
