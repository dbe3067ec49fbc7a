package dev.distillery.cli;

import dev.distillery.cli.report.Json;
import dev.distillery.cli.report.MetricsTable;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Measures a CSV of samples with the dataset's metrics (those of the demo table, without the teacher distance). */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure samples (CSV) against a dataset: modes, MMD, sliced W2, log-density; or FD, precision, recall.")
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--samples", required = true, paramLabel = "FILE", description = "CSV of samples, as 'distillery sample' writes.")
    Path samples;

    @Option(names = "--dataset", defaultValue = "25gaussians", paramLabel = "NAME",
            description = "25gaussians or digits (default ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the reference data and projections (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print a JSON object instead of lines.")
    boolean json;

    @Override
    public Integer call() {
        Dataset data = Dataset.parse(dataset);
        int dim = 1;
        for (int d : data.sampleShape()) {
            dim *= d;
        }
        double[][] rows = SamplesCsv.read(samples, dim, "--samples");
        Map<String, Double> m = data.measure(rows, data.reference(Math.max(rows.length, 2), seed + 1), seed);
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
