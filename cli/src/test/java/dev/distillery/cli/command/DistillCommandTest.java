package dev.distillery.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.cli.run.FakeRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistillCommandTest {
    @TempDir
    Path tmp;

    @Test
    void oneMethodFromAConfigFileWritesItsRunAndSamplesThatEvalReads() throws Exception {
        Path cfg = Files.writeString(tmp.resolve("run.json"), "{\"method\": \"fake-teacher\", \"steps\": 5, \"samples\": 100, "
                + "\"sample-steps\": [2, 8], \"quiet\": true, \"name\": \"from-config\", \"force\": false}");
        CliRunner r;
        try (var reg = FakeRegistry.install(FakeMethods.all())) {
            r = CliRunner.run("distill", "--config", cfg.toString(), "--out", tmp.toString(), "--name", "flag-wins");
        }
        assertEquals(0, r.exitCode(), r.err());
        Path run = tmp.resolve("flag-wins");
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        // the real-data floor and the teacher's reference samplers frame every run
        assertEquals(List.of("real-data,0", "teacher-ddim50,50", "teacher-ddpm1000,1000", "teacher-ddim,2", "teacher-ddim,8",
                        "fake-teacher,2", "fake-teacher,8"),
                csv.subList(1, csv.size()).stream().map(l -> String.join(",", List.of(l.split(",")).subList(0, 2))).toList());
        assertTrue(Files.exists(run.resolve("losses-fake-teacher.png")));
        Path samples = run.resolve("samples").resolve("fake-teacher-8.csv");
        CliRunner e = CliRunner.run("eval", "--samples", samples.toString());
        assertEquals(0, e.exitCode(), e.err());
    }

    @Test
    void unknownMethodListsTheValidNamesAndBadConfigsAreOneLine() throws Exception {
        Path notJson = Files.writeString(tmp.resolve("a.json"), "{steps: 5");
        Path notObject = Files.writeString(tmp.resolve("b.json"), "[1, 2]");
        try (var reg = FakeRegistry.install(FakeMethods.all())) {
            CliRunner r = CliRunner.run("distill", "--method", "dmd", "--out", tmp.toString());
            assertEquals(2, r.exitCode());
            assertEquals("distillery: unknown method 'dmd' for --method; valid names: fake-teacher, fake-denoise, fake-broken, "
                    + "fake-diverges", r.err().strip());
            for (String[] args : new String[][] {
                    {"distill", "--config", tmp.resolve("absent.json").toString()},
                    {"distill", "--config", notJson.toString()},
                    {"distill", "--config", notObject.toString()},
                    {"distill", "--config"},
                    {"distill"},
                    {"distill", "--method", "fake-teacher", "--steps", "0"},
                    {"distill", "--method", "fake-teacher", "--sample-steps", "1,0"},
                    {"distill", "--method", "fake-teacher", "--batch", "1.5"},
                    {"distill", "--method", "fake-teacher", "--set", "x=1"},
                    {"distill", "--method", "fake-teacher", "--set", "x"}}) {
                CliRunner b = CliRunner.run(args);
                assertEquals(2, b.exitCode(), String.join(" ", args) + " " + b.err());
                assertEquals(1, b.err().strip().split("\n").length, b.err());
            }
        }
    }
}
