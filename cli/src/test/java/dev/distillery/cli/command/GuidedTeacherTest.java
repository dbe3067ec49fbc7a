package dev.distillery.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guided distillation needs a class-conditional teacher: with a trained teacher the run trains one
 * (and saves it with the student); with an unconditional checkpoint the row fails with the fix.
 */
class GuidedTeacherTest {
    @TempDir
    Path tmp;

    @Test
    void aTrainedRunTrainsAClassConditionalTeacherForGuided() throws Exception {
        CliRunner r = CliRunner.run("distill", "--method", "guided", "--teacher", "trained", "--teacher-steps", "3",
                "--steps", "4", "--samples", "50", "--narrow", "--quiet", "--out", tmp.toString(), "--name", "g");
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.out().contains("FAILED"), r.out());
        Path run = tmp.resolve("g");
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("class-conditional MLP network trained here"), "report names the second teacher");
        // the student folder carries the teacher it was distilled from: the class-conditional one
        CliRunner s = CliRunner.run("sample", "--student", run.resolve("student").toString(), "--steps", "2",
                "--count", "50", "--out", tmp.resolve("g.csv").toString());
        assertEquals(0, s.exitCode(), s.err());
        assertEquals(51, Files.readAllLines(tmp.resolve("g.csv")).size());
    }

    @Test
    void anUnconditionalCheckpointIsRefusedWithTheFix() throws Exception {
        Path ckpt = tmp.resolve("teacher");
        CliRunner t = CliRunner.run("train", "--steps", "2", "--checkpoint", ckpt.toString(), "--quiet");
        assertEquals(0, t.exitCode(), t.err());
        // guided alone: the run cannot start, one line with the fix
        CliRunner r = CliRunner.run("distill", "--method", "guided", "--teacher-checkpoint", ckpt.toString(),
                "--steps", "2", "--samples", "20", "--quiet", "--out", tmp.toString(), "--name", "u");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("guided distillation needs a class-conditional teacher")
                && r.err().contains("--class-conditional") && r.err().strip().split("\n").length == 1, r.err());
        // beside other methods: only the guided row fails, and says why
        CliRunner d = CliRunner.run("demo", "--methods", "kd,guided", "--teacher-checkpoint", ckpt.toString(),
                "--steps-per-method", "2", "--samples", "20", "--quick", "--quiet", "--out", tmp.toString(), "--name", "d");
        assertEquals(0, d.exitCode(), d.err());
        assertTrue(d.out().contains("FAILED guided: guided distillation needs a class-conditional teacher"), d.out());
        assertFalse(d.out().contains("FAILED kd"), d.out());
    }
}
