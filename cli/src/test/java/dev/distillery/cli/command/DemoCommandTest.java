package dev.distillery.cli.command;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.data.Metrics;
import dev.distillery.cli.run.FakeRegistry;
import dev.distillery.cli.run.Frontier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end on a registry of fake methods (the real ones live on other branches). */
class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void quickDemoWritesTheWholeReportAndReportsBrokenMethodsAsRows() throws Exception {
        CliRunner r;
        long start = System.nanoTime();
        try (var reg = FakeRegistry.install(FakeMethods.all())) {
            r = CliRunner.run("demo", "--quick", "--teacher", "analytic", "--out", tmp.toString(), "--name", "q",
                    "--quiet", "--steps-per-method", "30", "--samples", "200");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("demo --quick (4 fake methods, 30 steps, 200 samples): %.1f s%n", seconds);
        assertEquals(0, r.exitCode(), r.err());
        System.out.println(r.out());
        Path run = tmp.resolve("q");
        for (String f : List.of("report.html", "metrics.json", "metrics.csv", "table.txt", "failures.json", "samples.png",
                "losses-fake-teacher.png", "losses-fake-denoise.png", "losses-fake-broken.png")) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }
        assertFalse(Files.exists(run.resolve("losses-fake-diverges.png")), "no curve for a method with no step");
        byte[] png = Files.readAllBytes(run.resolve("samples.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);

        // rows: floor, the teacher's reference samplers, its baselines + every method at 1, 2 and 4 steps, failures included
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(1 + 3 + 5 * 3, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(0).startsWith("method,steps,nfe,nonfinite_fraction,modes,hq_fraction,precision,recall,mmd,"
                + "sliced_w2,log_density,teacher_distance,train_seconds,sample_seconds,vs_ddim,vs_ddim50,vs_ddpm"), csv.get(0));
        assertTrue(csv.get(1).startsWith("real-data,0,") && csv.get(2).startsWith("teacher-ddim50,50,")
                && csv.get(3).startsWith("teacher-ddpm1000,1000,"), String.join("\n", csv));
        String json = Files.readString(run.resolve("metrics.json"));
        assertTrue(json.contains("\"method\": \"fake-diverges\""), json);

        // the teacher's own DDIM and the fake that samples with it agree exactly, and at 4 steps it covers the grid
        String teacher4 = row(csv, "teacher-ddim", 4);
        String fake4 = row(csv, "fake-teacher", 4);
        assertEquals(cells(teacher4, 2, 12), cells(fake4, 2, 12));
        // ... so no verdict may call it anything but within noise of its own DDIM
        // (the last two columns, vs_ddim50 and vs_ddpm, are the same for both: they compare equal metrics)
        String teacherTail = teacher4.substring(teacher4.lastIndexOf(',', teacher4.lastIndexOf(',') - 1));
        assertTrue(fake4.endsWith(",within noise" + teacherTail), fake4 + "\n" + teacher4);
        // more DDIM steps land closer to the teacher's own 50-step ODE endpoint
        double d1 = Double.parseDouble(row(csv, "teacher-ddim", 1).split(",")[11]);
        double d2 = Double.parseDouble(row(csv, "teacher-ddim", 2).split(",")[11]);
        double d4 = Double.parseDouble(teacher4.split(",")[11]);
        assertTrue(d1 > d2 && d2 > d4, d1 + " " + d2 + " " + d4);

        // the floor row is the dataset's metrics on an independent real sample against the same reference
        Map<String, Double> floor = Metrics.of(Dataset.GAUSSIANS25).measure(Dataset.GAUSSIANS25.realSample(200, 0),
                Dataset.GAUSSIANS25.reference(200, 1), 0);
        List<String> header = List.of(csv.get(0).split(","));
        String[] real = csv.get(1).split(",", -1);
        for (String metric : List.of("modes", "hq_fraction", "precision", "recall", "mmd", "sliced_w2", "log_density")) {
            assertEquals(floor.get(metric), Double.parseDouble(real[header.indexOf(metric)]), 1e-12, metric);
        }
        assertTrue(floor.get("modes") == 25 && floor.get("recall") > 0.8, floor.toString());

        // the teacher's frontier: every sampler at every NFE, and the speedup table
        List<String> frontier = Files.readAllLines(run.resolve("frontier.csv"));
        int points = 0;
        for (Frontier.Sampler s : Frontier.Sampler.values()) {
            for (int nfe : s.nfes()) {
                assertTrue(frontier.stream().anyMatch(l -> l.startsWith(Frontier.rowName(s) + "," + nfe + ",")), s + " " + nfe);
                points++;
            }
        }
        assertEquals(1 + points, frontier.size());
        List<String> speedup = Files.readAllLines(run.resolve("speedup.csv"));
        assertEquals("method,steps,nfe,speedup_nfe,speedup_seconds,teacher_nfe_at_equal_quality,nfe_saving,train_seconds,"
                + "sample_seconds,reaches_teacher_ddpm", speedup.get(0));
        assertEquals(1 + 4, speedup.size());
        assertTrue(speedup.get(4).startsWith("fake-diverges,0,,,,,,,,none"), speedup.get(4));
        for (String f : List.of("frontier.png", "frontier-seconds.png")) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }

        String failures = Files.readString(run.resolve("failures.json"));
        assertTrue(failures.contains("fake-broken: sampling at 2 steps failed: IllegalStateException: no multistep sampler"), failures);
        assertTrue(failures.contains("fake-diverges: training failed at step 0: ArithmeticException: loss is NaN"), failures);

        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("fake-denoise") && html.contains("data:image/png;base64,"), "report embeds images");
        assertTrue(html.contains("The real-data row is each metric&#39;s floor") && html.contains("Speedup over the teacher"), "floor and speedup explained");
        assertTrue(r.out().contains("teacher-ddim") && r.out().contains("FAILED fake-broken"), r.out());
        assertTrue(r.out().contains("report: "), r.out());
    }

    @Test
    void digitsDemoDrawsImageGridsAndClassifierFeatureMetrics() throws Exception {
        CliRunner r;
        try (var reg = FakeRegistry.install(List.of(FakeMethods.TEACHER, FakeMethods.BROKEN_SAMPLER))) {
            r = CliRunner.run("demo", "--quick", "--dataset", "digits", "--methods", "fake-teacher,fake-broken", "--out",
                    tmp.toString(), "--name", "d", "--quiet", "--steps-per-method", "2", "--samples", "24");
        }
        assertEquals(0, r.exitCode(), r.err());
        List<String> csv = Files.readAllLines(tmp.resolve("d").resolve("metrics.csv"));
        assertTrue(csv.get(0).contains("fd,precision,recall,class_entropy,fd_pixels,teacher_distance"), csv.get(0));
        assertTrue(Files.size(tmp.resolve("d").resolve("samples.png")) > 0);
        assertTrue(Files.readString(tmp.resolve("d").resolve("report.html")).contains("classifier (DigitsFeatures"));
    }

    @Test
    void methodsSubsetRunsOnlyThoseAndUnknownNamesListTheValidOnes() throws Exception {
        try (var reg = FakeRegistry.install(FakeMethods.all())) {
            CliRunner ok = CliRunner.run("demo", "--quick", "--teacher", "analytic", "--methods", "fake-teacher", "--out", tmp.toString(),
                    "--name", "one", "--quiet", "--steps-per-method", "1", "--samples", "50");
            assertEquals(0, ok.exitCode(), ok.err());
            List<String> csv = Files.readAllLines(tmp.resolve("one").resolve("metrics.csv"));
            assertEquals(1 + 3 + 2 * 3, csv.size());

            CliRunner bad = CliRunner.run("demo", "--quick", "--methods", "fake-teacher,consistncy", "--out", tmp.toString());
            assertEquals(2, bad.exitCode());
            assertEquals("distillery: unknown method 'consistncy' for --methods; valid names: fake-teacher, fake-denoise, "
                    + "fake-broken, fake-diverges", bad.err().strip());
        }
        assertFalse(Files.exists(tmp.resolve("runs")));
    }

    @Test
    void badInputFailsBeforeAnyWorkWithOneLine() throws Exception {
        Files.createDirectories(tmp.resolve("taken"));
        try (var reg = FakeRegistry.install(FakeMethods.all())) {
            for (String[] args : new String[][] {
                    {"demo", "--dataset", "mnist"},
                    {"demo", "--seed", "x"},
                    {"demo", "--steps-per-method", "0"},
                    {"demo", "--seeds", "0"},
                    {"demo", "--samples", "1"},
                    {"demo", "--frobnicate"},
                    {"demo", "--out", tmp.toString(), "--name", "taken"},
                    {"demo", "--out", tmp.toString(), "--name", "../escape"},
                    {"demo", "--teacher-checkpoint", tmp.resolve("nope").toString(), "--out", tmp.toString(), "--name", "tc"},
                    {"demo", "--teacher-checkpoint", tmp.toString(), "--teacher-prediction", "score"},
                    {"demo", "--teacher-checkpoint", tmp.toString()},
                    {"demo", "--teacher", "oracle"},
                    {"demo", "--teacher", "trained", "--teacher-steps", "0"}}) {
                CliRunner r = CliRunner.run(args);
                assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.err());
                assertEquals(1, r.err().strip().split("\n").length, String.join(" ", args) + ": " + r.err());
                assertTrue(r.err().startsWith("distillery: "), r.err());
            }
        }
        assertFalse(Files.exists(tmp.resolve("tc")), "a failed run leaves no folder");
    }

    @Test
    void seedsGiveMeanAndSpreadAndKeepEachSeedsTable() throws Exception {
        CliRunner r;
        try (var reg = FakeRegistry.install(List.of(FakeMethods.TEACHER))) {
            r = CliRunner.run("demo", "--quick", "--seeds", "2", "--seed", "5", "--out", tmp.toString(), "--name", "s",
                    "--quiet", "--steps-per-method", "1", "--samples", "120");
        }
        assertEquals(0, r.exitCode(), r.err());
        Path run = tmp.resolve("s");
        List<String> s5 = Files.readAllLines(run.resolve("metrics-seed5.csv"));
        List<String> s6 = Files.readAllLines(run.resolve("metrics-seed6.csv"));
        List<String> all = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(s5.size(), all.size());
        List<String> header = List.of(all.get(0).split(","));
        List<String> seedHeader = List.of(s5.get(0).split(","));
        assertTrue(header.contains("mmd_sd") && header.contains("modes_sd") && !header.contains("nfe_sd"), all.get(0));
        for (String metric : List.of("mmd", "recall", "sliced_w2")) {
            double a = Double.parseDouble(row(s5, "fake-teacher", 4).split(",")[seedHeader.indexOf(metric)]);
            double b = Double.parseDouble(row(s6, "fake-teacher", 4).split(",")[seedHeader.indexOf(metric)]);
            String[] agg = row(all, "fake-teacher", 4).split(",");
            assertEquals((a + b) / 2, Double.parseDouble(agg[header.indexOf(metric)]), 1e-12, metric);
            // the sample std of two values: |a - b| / sqrt(2)
            assertEquals(Math.abs(a - b) / Math.sqrt(2), Double.parseDouble(agg[header.indexOf(metric + "_sd")]), 1e-12, metric);
            if (!metric.equals("recall")) {
                assertTrue(a != b, metric + ": each seed has its own noise and reference");
            }
        }
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("\u00b1") && html.contains("2 seeds (5 to 6"), "the report shows mean +- spread");
    }

    @Test
    void anEmptyRegistrySaysSo() {
        try (var reg = FakeRegistry.install(List.of())) {
            CliRunner r = CliRunner.run("demo", "--methods", "dmd", "--out", tmp.toString());
            assertEquals(2, r.exitCode());
            assertTrue(r.err().contains("no distillation methods are registered"), r.err());
        }
    }

    private static String row(List<String> csv, String method, int steps) {
        return csv.stream().filter(l -> l.startsWith(method + "," + steps + ",")).findFirst().orElseThrow();
    }

    private static List<String> cells(String line, int from, int to) {
        return List.of(line.split(",")).subList(from, to);
    }
}
