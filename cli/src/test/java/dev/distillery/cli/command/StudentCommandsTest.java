package dev.distillery.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distill} writes its student into the run ({@code student/}), and {@code sample --student}
 * and {@code eval --student} bring it back: the samples from the run's seed and sample count are
 * the run's own {@code samples/<method>-<steps>.csv}, byte for byte. Bad folders and flags are one
 * line with exit code 2. Real methods with a few steps on tiny budgets.
 */
class StudentCommandsTest {
    @TempDir
    Path tmp;

    private Path distill(String name, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("distill", "--batch", "16", "--samples", "40", "--seed",
                "4", "--quiet", "--out", tmp.toString(), "--name", name));
        args.addAll(List.of(extra));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        Path student = tmp.resolve(name).resolve("student");
        assertTrue(r.out().contains("student: " + student), r.out());
        return student;
    }

    private List<String> sample(Path student, int steps, String... extra) throws IOException {
        Path csv = tmp.resolve("s-" + System.nanoTime() + ".csv");
        List<String> args = new java.util.ArrayList<>(List.of("sample", "--student", student.toString(), "--steps",
                String.valueOf(steps), "--count", "40", "--seed", "4", "--out", csv.toString()));
        args.addAll(List.of(extra));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        return Files.readAllLines(csv);
    }

    @Test
    void progressiveStudentSamplesAsInItsRunAtEveryStepCount() throws Exception {
        Path student = distill("pd", "--method", "progressive", "--steps", "12", "--narrow");
        assertTrue(Files.exists(student.resolve("student.json")));
        assertTrue(Files.exists(student.resolve("student.safetensors")));
        assertTrue(Files.exists(student.resolve("round-2.safetensors")), "finished rounds are stored");
        assertFalse(Files.exists(student.resolve("teacher")), "the analytic teacher needs no files");
        for (int k : new int[] {1, 2, 4}) {
            assertEquals(Files.readAllLines(tmp.resolve("pd/samples/progressive-" + k + ".csv")), sample(student, k),
                    "progressive at " + k + " steps");
        }
        CliRunner e = CliRunner.run("eval", "--student", student.toString(), "--steps", "2", "--count", "40");
        assertEquals(0, e.exitCode(), e.err());
        assertTrue(e.out().contains("samples") && e.out().contains("modes"), e.out());
    }

    @Test
    void aStudentTrainedWithSettingsIsRebuiltWithThem() throws Exception {
        // n0 = 8 instead of 64 gives other rounds (8, 4, 2, 1): a rebuild without the setting would not fit the saved rounds
        Path student = distill("pd-n0", "--method", "progressive", "--steps", "6", "--narrow", "--set", "n0=8.0");
        String json = Files.readString(student.resolve("student.json"));
        assertTrue(json.replaceAll("\\s", "").contains("\"settings\":{\"n0\":\"8\"}"), json);
        for (int k : new int[] {1, 2, 4}) {
            assertEquals(Files.readAllLines(tmp.resolve("pd-n0/samples/progressive-" + k + ".csv")), sample(student, k),
                    "progressive n0=8 at " + k + " steps");
        }
        CliRunner bad = CliRunner.run("distill", "--method", "progressive", "--set", "n0=48", "--out", tmp.toString());
        assertEquals(2, bad.exitCode());
        assertEquals("distillery: --set: progressive setting n0=48 is not a power of two (1, 2, 4, ...); progressive's "
                + "settings: n0, lr", bad.err().strip());
        CliRunner unknown = CliRunner.run("distill", "--method", "cd", "--set", "mu=0.99,muu=1", "--out", tmp.toString());
        assertEquals(2, unknown.exitCode());
        assertEquals("distillery: --set: cd has no setting 'muu'; cd's settings: mu, n, sigma-max, lr, decay",
                unknown.err().strip());
    }

    @Test
    void aStudentOfATeacherTrainedInTheRunCarriesTheTeacher() throws Exception {
        Path student = distill("cd", "--method", "cd", "--steps", "2", "--teacher", "trained", "--teacher-steps", "2",
                "--sample-steps", "2");
        assertTrue(Files.exists(dev.distillery.nn.checkpoint.Checkpoint.file(student.resolve("teacher"), "model.safetensors")));
        assertEquals(Files.readAllLines(tmp.resolve("cd/samples/cd-2.csv")), sample(student, 2));
        Path csv = tmp.resolve("teacher.csv");
        CliRunner t = CliRunner.run("sample", "--checkpoint", student.resolve("teacher").toString(), "--steps", "2",
                "--count", "5", "--out", csv.toString());
        assertEquals(0, t.exitCode(), t.err());
    }

    @Test
    void aStepCountTheGeneratorLacksIsOneLineNamingTheOnesItHas() {
        Path student = distill("gan", "--method", "ddgan", "--steps", "2", "--narrow", "--sample-steps", "4");
        CliRunner r = CliRunner.run("sample", "--student", student.toString(), "--steps", "2", "--out",
                tmp.resolve("x.csv").toString());
        assertEquals(2, r.exitCode());
        assertEquals("distillery: the ddgan student does not sample with 2 steps; it samples with 4: pass --steps 4",
                r.err().strip());
        CliRunner ok = CliRunner.run("sample", "--student", student.toString(), "--count", "3", "--out",
                tmp.resolve("y.csv").toString());
        assertEquals(0, ok.exitCode(), "the default is a step count the student has: " + ok.err());
    }

    @Test
    void badFoldersAndFlagsAreOneLineWithExitTwo() throws Exception {
        Path good = distill("kd", "--method", "kd", "--steps", "2", "--narrow", "--sample-steps", "1");
        Path noJson = copy(good, "nojson");
        Files.delete(noJson.resolve("student.json"));
        Path corruptJson = copy(good, "corruptjson");
        Files.writeString(corruptJson.resolve("student.json"), "{\"format\": ");
        Path alien = copy(good, "alien");
        rewrite(alien.resolve("student.json"), "\"method\": \"kd\"", "\"method\": \"telepathy\"");
        Path noWeights = copy(good, "noweights");
        Files.delete(noWeights.resolve("student.safetensors"));
        Path corruptWeights = copy(good, "corruptweights");
        Files.write(corruptWeights.resolve("student.safetensors"), new byte[] {1, 2, 3});
        Path mismatch = copy(good, "mismatch");
        rewrite(mismatch.resolve("student.json"), "\"narrow\": true", "\"narrow\": false");
        String out = tmp.resolve("o.csv").toString();
        String[][] cases = {
                {"sample", "--student", tmp.resolve("absent").toString(), "--out", out},
                {"sample", "--student", noJson.toString(), "--out", out},
                {"sample", "--student", corruptJson.toString(), "--out", out},
                {"sample", "--student", alien.toString(), "--out", out},
                {"sample", "--student", noWeights.toString(), "--out", out},
                {"sample", "--student", corruptWeights.toString(), "--out", out},
                {"sample", "--student", mismatch.toString(), "--out", out},
                {"sample", "--student", good.toString(), "--checkpoint", good.toString(), "--out", out},
                {"sample", "--student", good.toString(), "--dataset", "digits", "--out", out},
                {"sample", "--student", good.toString(), "--steps", "0", "--out", out},
                {"eval"},
                {"eval", "--student", good.toString(), "--samples", out},
                {"eval", "--student", mismatch.toString()},
                {"eval", "--samples", out, "--steps", "2"}};
        String[] expected = {"is not a folder", "lacks student.json", "cannot read", "names the method 'telepathy'",
                "lacks student.safetensors", "cannot read", "do not fit", "drop --checkpoint", "drop --dataset",
                "--steps must be at least 1", "pass either", "pass either", "do not fit", "go with --student"};
        for (int i = 0; i < cases.length; i++) {
            CliRunner r = CliRunner.run(cases[i]);
            String line = String.join(" ", cases[i]) + " -> " + r.err();
            assertEquals(2, r.exitCode(), line);
            assertEquals(1, r.err().strip().split("\n").length, line);
            assertTrue(r.err().contains(expected[i]), line);
        }
        assertFalse(Files.exists(Path.of(out)), "no CSV is written on a refused command");
    }

    private Path copy(Path from, String name) throws IOException {
        Path to = tmp.resolve(name);
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
        return to;
    }

    private static void rewrite(Path file, String from, String to) throws IOException {
        String s = Files.readString(file);
        assertTrue(s.contains(from), s);
        Files.writeString(file, s.replace(from, to));
    }
}
