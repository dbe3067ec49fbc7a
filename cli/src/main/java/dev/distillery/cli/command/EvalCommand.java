package dev.distillery.cli.command;

import dev.distillery.autograd.io.Json;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.report.MetricsTable;
import dev.distillery.cli.run.Evaluation;
import dev.distillery.cli.run.MethodRegistry;
import dev.distillery.cli.run.SamplesCsv;
import dev.distillery.cli.run.SavedStudent;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Measures samples with the dataset's metrics (those of the demo table, without the teacher
 * distance): a CSV ({@code --samples}), or a distilled student sampled here ({@code --student}).
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure samples (CSV, or a distilled student sampled here) against a dataset: modes, MMD, "
                + "sliced W2, log-density; or FD, precision, recall.")
final class EvalCommand implements Callable<Integer> {
    /**
     * The most samples measured at once: precision/recall and MMD compare every pair, so 5000
     * take a few seconds on two cores and 20000 a minute (2.5 times the demo's 2000 is plenty).
     */
    static final int MAX_SAMPLES = 5000;

    @Spec
    CommandSpec spec;

    @Option(names = "--samples", paramLabel = "FILE", description = "CSV of samples, as 'distillery sample' writes.")
    Path samples;

    @Option(names = "--student", paramLabel = "DIR",
            description = "Instead of --samples: sample this distilled student (runs/<name>/student) and measure.")
    Path student;

    @Option(names = "--steps", paramLabel = "K", description = "With --student: its steps (default: its fewest, 1 for most methods).")
    Integer steps;

    @Option(names = "--count", defaultValue = "1000", paramLabel = "N",
            description = "With --student: the number of samples (default ${DEFAULT-VALUE}).")
    int count;

    @Mixin
    DatasetOption dataset;

    @Mixin
    SeedOption seed;

    @Option(names = "--json", description = "Print a JSON object instead of lines.")
    boolean json;

    @Override
    public Integer call() {
        if ((samples == null) == (student == null)) {
            throw new CliException("pass either --samples FILE (a CSV of samples) or --student DIR (a distilled student)");
        }
        Dataset data;
        double[][] rows;
        if (student != null) {
            if (count < 2 || count > MAX_SAMPLES) {
                throw new CliException("--count must be in [2, " + MAX_SAMPLES + "] (the metrics compare sample sets, "
                        + "pair by pair), got " + count);
            }
            if (steps != null && steps < 1) {
                throw new CliException("--steps must be at least 1, got " + steps);
            }
            SavedStudent s = SavedStudent.load(student, "--student", MethodRegistry.all());
            s.requireDataset(dataset.given());
            data = s.dataset();
            rows = s.sample(count, seed.value, steps == null ? s.defaultSteps() : steps, "--steps");
        } else {
            if (steps != null || spec.commandLine().getParseResult().hasMatchedOption("--count")) {
                throw new CliException("--steps and --count go with --student; a --samples CSV is measured as it is");
            }
            data = dataset.parse();
            int dim = 1;
            for (int d : data.sampleShape()) {
                dim *= d;
            }
            rows = SamplesCsv.read(samples, dim, MAX_SAMPLES, "--samples");
        }
        Map<String, Double> m = Evaluation.measureAlone(data, rows, seed.value);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            StringBuilder sb = new StringBuilder("{\"samples\": ").append(rows.length);
            m.forEach((k, v) -> sb.append(", ").append(Json.string(k)).append(": ").append(Json.number(v)));
            out.println(sb.append('}'));
        } else {
            int w = m.keySet().stream().mapToInt(String::length).max().orElse(7);
            out.printf("%-" + w + "s  %d%n", "samples", rows.length);
            m.forEach((k, v) -> out.printf("%-" + w + "s  %s%n", k, MetricsTable.format(v)));
        }
        out.flush();
        return 0;
    }

}
