package dev.distillery.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.nn.Module;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.checkpoint.TrainingState;
import dev.distillery.nn.models.MlpConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleEvalCommandTest {
    @TempDir
    Path tmp;

    @Test
    void analyticTeacherSamplesCoverTheGridAndEvalMeasuresThem() throws Exception {
        Path csv = tmp.resolve("s.csv");
        CliRunner s = CliRunner.run("sample", "--steps", "50", "--count", "600", "--out", csv.toString());
        assertEquals(0, s.exitCode(), s.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("x0,x1", lines.get(0));
        assertEquals(601, lines.size());

        CliRunner e = CliRunner.run("eval", "--samples", csv.toString(), "--dataset", "25gaussians");
        assertEquals(0, e.exitCode(), e.err());
        assertTrue(e.out().contains("modes ") && e.out().contains("sliced_w2"), e.out());
        CliRunner j = CliRunner.run("eval", "--samples", csv.toString(), "--json");
        assertTrue(j.out().startsWith("{\"samples\": 600, \"nonfinite_fraction\": 0.0, \"modes\": 25.0"), j.out());
    }

    @Test
    void digitsWithoutACheckpointSampleTheBundledTeacher() throws Exception {
        Path csv = tmp.resolve("d.csv");
        CliRunner s = CliRunner.run("sample", "--dataset", "digits", "--steps", "8", "--count", "32", "--out", csv.toString());
        assertEquals(0, s.exitCode(), s.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(33, lines.size());
        // the bundled network's DDIM on the noise of seed 0, not the analytic mixture's
        float[] expected = dev.distillery.cli.teacher.BundledTeacher.load()
                .ddim(dev.distillery.cli.data.Dataset.DIGITS.noise(32, 0), 8).toFloatArray();
        String[] first = lines.get(1).split(",");
        assertEquals(64, first.length);
        for (int j = 0; j < 64; j++) {
            assertEquals(expected[j], Float.parseFloat(first[j]), 0f, "pixel " + j);
        }
    }

    @Test
    void checkpointRoundTripSamplesTheStoredNetwork() throws Exception {
        MlpConfig cfg = MlpConfig.w2().withWidth(16).withSeed(3);
        Module model = cfg.build();
        Path ck = tmp.resolve("ck");
        Checkpoint.save(ck, cfg, model, null, null, new TrainingState(0, null));
        Path csv = tmp.resolve("n.csv");
        CliRunner s = CliRunner.run("sample", "--checkpoint", ck.toString(), "--steps", "3", "--count", "5", "--prediction", "x0",
                "--out", csv.toString());
        assertEquals(0, s.exitCode(), s.err());
        assertEquals(6, Files.readAllLines(csv).size());
    }

    @Test
    void missingOrCorruptCheckpointsAndFilesAreOneLineWithExitTwo() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path corrupt = Files.createDirectories(tmp.resolve("corrupt"));
        Files.writeString(corrupt.resolve(Checkpoint.CONFIG), "{\"kind\": \"mlp_denoiser\", \"config\": {\"width\": ");
        Path unknownKind = Files.createDirectories(tmp.resolve("alien"));
        Files.writeString(unknownKind.resolve(Checkpoint.CONFIG), "{\"kind\": \"transformer\", \"config\": {}}");
        MlpConfig cfg = MlpConfig.w2().withWidth(8);
        Path noWeights = tmp.resolve("noweights");
        Checkpoint.save(noWeights, cfg, cfg.build(), null, null, new TrainingState(0, null));
        Files.delete(Checkpoint.file(noWeights, Checkpoint.MODEL));
        Path badCsv = tmp.resolve("bad.csv");
        Files.writeString(badCsv, "x0,x1\n1,2\n3,oops\n");
        Path threeCols = tmp.resolve("three.csv");
        Files.writeString(threeCols, "1,2,3\n4,5,6\n");
        Path blocker = Files.writeString(tmp.resolve("file"), "not a folder");
        String out = tmp.resolve("o.csv").toString();
        String[][] cases = {
                {"sample", "--checkpoint", tmp.resolve("absent").toString(), "--out", out},
                {"sample", "--checkpoint", empty.toString(), "--out", out},
                {"sample", "--checkpoint", corrupt.toString(), "--out", out},
                {"sample", "--checkpoint", unknownKind.toString(), "--out", out},
                {"sample", "--checkpoint", noWeights.toString(), "--out", out},
                {"sample", "--out", blocker.resolve("x.csv").toString()},
                {"sample", "--steps", "0", "--out", out},
                {"sample", "--count", "-1", "--out", out},
                {"sample", "--dataset", "cifar", "--out", out},
                {"sample", "--prediction", "score", "--out", out},
                {"sample"},
                {"eval", "--samples", tmp.resolve("absent.csv").toString()},
                {"eval", "--samples", badCsv.toString()},
                {"eval", "--samples", threeCols.toString()},
                {"eval", "--samples", badCsv.toString(), "--dataset", "mnist"},
        };
        for (String[] args : cases) {
            CliRunner r = CliRunner.run(args);
            String what = String.join(" ", args) + " -> " + r.err();
            assertEquals(2, r.exitCode(), what);
            assertEquals(1, r.err().strip().split("\n").length, what);
            assertTrue(r.err().startsWith("distillery: ") && !r.err().contains("\tat "), what);
        }
        assertTrue(CliRunner.run("sample", "--checkpoint", noWeights.toString(), "--out", out).err().contains("lacks model.safetensors"));
        assertTrue(CliRunner.run("eval", "--samples", badCsv.toString()).err().contains("line 3, column 2: 'oops' is not a number"));
        CliRunner debug = CliRunner.run("--debug", "sample", "--checkpoint", corrupt.toString(), "--out", out);
        assertTrue(debug.err().contains("\tat "), "--debug shows the stack trace");
    }
}
