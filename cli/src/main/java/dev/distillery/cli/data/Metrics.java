package dev.distillery.cli.data;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * How a dataset's samples are measured: the metric columns of every table, the metrics a verdict
 * ranks by, the frontier figure's panels, and what the columns mean for the report.
 */
public abstract sealed class Metrics permits MixtureMetrics, DigitsMetrics {

    Metrics() {
    }

    /** The metrics of {@code dataset}. */
    public static Metrics of(Dataset dataset) {
        return dataset == Dataset.DIGITS ? DigitsMetrics.INSTANCE : MixtureMetrics.INSTANCE;
    }

    /** The metrics of {@code samples} (rows) against {@code reference}; a metric that cannot be computed is NaN. */
    public abstract Map<String, Double> measure(double[][] samples, double[][] reference, long seed);

    /**
     * The metrics a verdict compares, in rank order ({@code cli.run.Verdict}): the first two decide
     * together, the rest break ties.
     */
    public abstract List<Criterion> criteria();

    /** The three metrics of the frontier figure's panels ({@code cli.run.Frontier}). */
    public abstract List<String> frontier();

    /** What the metric columns mean, for the report. */
    public abstract String note();

    /** Puts the metric, or NaN when there are too few finite samples or it throws. */
    static void put(Map<String, Double> m, String name, double[][] finite, ToDoubleFunction<double[][]> metric) {
        double v;
        try {
            v = finite.length < 2 ? Double.NaN : metric.applyAsDouble(finite);
        } catch (RuntimeException e) {
            v = Double.NaN;
        }
        m.put(name, v);
    }
}
