package dev.distillery.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.io.MalformedSafetensors;
import dev.distillery.cli.run.FakeRegistry;
import dev.distillery.cli.store.StudentRecord;
import dev.distillery.cli.teacher.TeacherTraining;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.training.Recipes;
import dev.distillery.nn.Module;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.checkpoint.TrainingState;
import dev.distillery.nn.models.MlpConfig;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken inputs through the command line: each must give one printable line on
 * stderr and exit code 2, quickly, and change nothing on disk.
 */
class HostileInputTest {
    /** Far above what any of these takes; the bar is 5 s for any file under 10 MB. */
    private static final long MAX_MILLIS = 5000;

    @TempDir
    Path tmp;

    /** Runs the command and checks the failure contract: exit 2, one printable line, in time, naming {@code fragment}. */
    private static CliRunner refused(String fragment, String... args) {
        return refused(MAX_MILLIS, fragment, args);
    }

    private static CliRunner refused(long maxMillis, String fragment, String... args) {
        long t0 = System.nanoTime();
        CliRunner r = CliRunner.run(args);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        String what = String.join(" ", args).substring(0, Math.min(200, String.join(" ", args).length()));
        assertEquals(2, r.exitCode(), what + ": " + r.err());
        String err = r.err().strip();
        assertEquals(1, err.split("\n").length, what + ": " + err);
        assertTrue(err.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f)), what + ": control characters in " + err);
        assertTrue(err.length() < 2200, what + ": " + err.length() + " characters");
        assertTrue(err.contains(fragment), what + ": \"" + err + "\" lacks \"" + fragment + "\"");
        assertTrue(millis < maxMillis, what + " took " + millis + " ms");
        return r;
    }

    @Test
    void deepHugeOrEscapedConfigFilesAreOneCleanLine() throws IOException {
        Path deep = Files.writeString(tmp.resolve("deep.json"), "[".repeat(200_000) + "]".repeat(200_000));
        refused("nesting deeper than 64 levels", "distill", "--config", deep.toString());
        Path objects = Files.writeString(tmp.resolve("objects.json"), "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000));
        refused("nesting deeper", "train", "--config", objects.toString());
        Path huge = tmp.resolve("huge.json");
        try (FileChannel ch = FileChannel.open(huge, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'{'}), 100L << 20);   // sparse: 100 MB, one byte written
        }
        refused("at most", "eval", "--config", huge.toString());
        Path escapes = Files.writeString(tmp.resolve("esc.json"), "{\"\\u001b[2J\\u001b[31mred\": 1, \"x\\ny\": 2}");
        refused("\\u001b[2J", "eval", "--config", escapes.toString());
        Path longKey = Files.writeString(tmp.resolve("long.json"), "{\"" + "k".repeat(900_000) + "\": 1}");
        refused("more characters", "eval", "--config", longKey.toString());
    }

    @Test
    void samplesCsvMustBeFiniteNumbersInTheRightColumns() throws IOException {
        Map<String, String> cases = Map.of(
                "NaN,1\n1,2\n3,4\n", "'NaN' is not a number",
                "x0,x1\n1,2\nInfinity,4\n", "line 3, column 1: 'Infinity' is not a number",
                "1,2\n3,4,\n", "line 2: 3 values",
                "1,2\n0x1p3,4\n", "'0x1p3' is not a number",
                "1,2\n3,1e999\n", "beyond the range of a double",
                "1,2\n3,4d\n", "'4d' is not a number",
                "1,2\n\u001b[2J,4\n", "\\u001b[2J",
                "1,2\n3\n", "line 2: 1 values");
        int i = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path csv = Files.writeString(tmp.resolve("c" + i++ + ".csv"), c.getKey());
            refused(c.getValue(), "eval", "--samples", csv.toString());
        }
        Path many = Files.writeString(tmp.resolve("many.csv"), "1,2\n".repeat(EvalCommand.MAX_SAMPLES + 1));
        refused("holds more than " + EvalCommand.MAX_SAMPLES + " samples", "eval", "--samples", many.toString());
    }

    @Test
    void aDistillationWhoseLossTurnsNaNStopsThereAndWritesNothing() {
        try (var reg = FakeRegistry.install(List.of(FakeMethods.NAN_LOSS))) {
            // the time bound is for reading inputs; a distill run first samples the teacher's frontier
            refused(120_000, "fake-nan: training failed at step 2 of 5: loss 'loss' is NaN", "distill", "--method", "fake-nan",
                    "--steps", "5", "--samples", "50", "--out", tmp.toString(), "--name", "nan", "--quiet");
        }
        assertFalse(Files.exists(tmp.resolve("nan")), "no run folder");
    }

    @Test
    void aCheckpointWithNaNWeightsIsRefusedAtLoadNamingTheTensor() throws IOException {
        MlpConfig cfg = Recipes.mlpConfig25Gaussians(0);
        Module net = cfg.build();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Tensor w = net.stateDict().values().iterator().next();
            w.assign(w.mul(Double.NaN));
        }
        Path teacher = tmp.resolve("nan-teacher");
        Checkpoint.save(teacher, cfg, net, null, null, new TrainingState(0, null),
                Map.of(TeacherTraining.DESCRIPTION, TeacherTraining.description(Prediction.V)));
        refused("has non-finite weights: NaN in '", "sample", "--checkpoint", teacher.toString(), "--out",
                tmp.resolve("s.csv").toString());
        refused("has non-finite weights", "distill", "--method", "kd", "--teacher-checkpoint", teacher.toString(),
                "--steps", "3", "--out", tmp.toString(), "--name", "from-nan", "--quiet");
        assertFalse(Files.exists(tmp.resolve("s.csv")));
        assertFalse(Files.exists(tmp.resolve("from-nan")));
    }

    @Test
    void studentNetworkNamesAreCheckedBeforeTheyBecomePaths() throws IOException {
        Path student = Files.createDirectories(tmp.resolve("student"));
        Files.writeString(student.resolve(StudentRecord.FILE), "{\"format\": \"" + StudentRecord.FORMAT + "\", \"method\": "
                + "\"kd\", \"dataset\": \"25gaussians\", \"seed\": 0, \"narrow\": false, \"batch\": 8, \"steps\": 1, "
                + "\"teacher\": {\"kind\": \"analytic\", \"origin\": \"x\"}, \"networks\": [\"../../outside\"], \"counters\": {}}");
        refused("'../../outside', which is not a plain network name", "sample", "--student", student.toString(), "--out",
                tmp.resolve("s.csv").toString());
    }

    @Test
    void everyMalformedWeightsFileThroughSampleCheckpointIsOneLine() throws IOException {
        MlpConfig cfg = MlpConfig.w2().withWidth(8).withTimeDim(4).withSeed(1);
        Path ck = tmp.resolve("ck");
        Checkpoint.save(ck, cfg, cfg.build(), null, null, new TrainingState(0, null));
        Path model = Checkpoint.file(ck, Checkpoint.MODEL);
        String out = tmp.resolve("o.csv").toString();
        for (MalformedSafetensors.Case c : MalformedSafetensors.all()) {
            Files.write(model, c.bytes());
            refused(c.fragment().substring(0, Math.min(30, c.fragment().length())), "sample", "--checkpoint", ck.toString(),
                    "--prediction", "x0", "--steps", "1", "--count", "2", "--out", out);
        }
        assertFalse(Files.exists(Path.of(out)));
    }
}
