package dev.distillery.cli.report;

import dev.distillery.autograd.io.Json;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The results of a run, one {@link Row} per (method, step count): named metric values and the
 * seconds spent training and sampling. Metric columns are the union of the rows' metric names in
 * first-seen order; a row without a metric has an empty cell. Rows may also carry text columns
 * ({@link Row#labels()}, e.g. a verdict), written after the seconds. Four renderings:
 * <ul>
 *   <li>{@link #toJson()}: {@code metrics.json}, a list of objects, numbers in full precision,
 *       NaN and infinities as {@code null};</li>
 *   <li>{@link #toCsv()}: {@code metrics.csv}, a header and one line per row (RFC 4180 quoting),
 *       numbers in full precision, non-finite values empty;</li>
 *   <li>{@link #toText()}: an aligned plain-text table for the terminal, four significant digits;</li>
 *   <li>{@link #toMarkdown()}: the same as a Markdown table, for READMEs.</li>
 * </ul>
 * Not thread-safe; fill it from one thread.
 */
public final class MetricsTable {

    /** Column names of the fixed columns, as written in JSON and CSV. */
    public static final String METHOD = "method";
    public static final String STEPS = "steps";
    public static final String TRAIN_SECONDS = "train_seconds";
    public static final String SAMPLE_SECONDS = "sample_seconds";

    /**
     * One result.
     *
     * @param method method name, such as {@code ddim} or {@code consistency}
     * @param steps sampling steps, the network evaluations per sample (NFE) for one-evaluation samplers
     * @param metrics metric values by name, in display order (copied)
     * @param trainSeconds seconds spent training (NaN when not applicable)
     * @param sampleSeconds seconds spent sampling
     * @param labels text columns (verdicts) by name, in display order (copied); written after the
     *               seconds as JSON strings and quoted CSV fields, empty when missing
     */
    public record Row(String method, int steps, Map<String, Double> metrics, double trainSeconds, double sampleSeconds,
                      Map<String, String> labels) {
        public Row {
            Objects.requireNonNull(method, "method");
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }

        /** A row without text columns. */
        public Row(String method, int steps, Map<String, Double> metrics, double trainSeconds, double sampleSeconds) {
            this(method, steps, metrics, trainSeconds, sampleSeconds, Map.of());
        }

        /** This row with the text column {@code name} set to {@code value}. */
        public Row withLabel(String name, String value) {
            Map<String, String> l = new LinkedHashMap<>(labels);
            l.put(name, value);
            return new Row(method, steps, metrics, trainSeconds, sampleSeconds, l);
        }

        /** The named text column, or "" when this row lacks it. */
        public String label(String name) {
            return labels.getOrDefault(name, "");
        }

        /** The named metric, or NaN when this row lacks it. */
        public double metric(String name) {
            Double v = metrics.get(name);
            return v == null ? Double.NaN : v;
        }
    }

    private final List<Row> rows = new ArrayList<>();

    /** Adds a row and returns this table. */
    public MetricsTable add(Row row) {
        rows.add(Objects.requireNonNull(row, "row"));
        return this;
    }

    /** Adds a row and returns this table. */
    public MetricsTable add(String method, int steps, Map<String, Double> metrics, double trainSeconds, double sampleSeconds) {
        return add(new Row(method, steps, metrics, trainSeconds, sampleSeconds));
    }

    /** The rows in insertion order (unmodifiable). */
    public List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** The metric names of all rows, in first-seen order. */
    public List<String> metricNames() {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (Row r : rows) {
            names.addAll(r.metrics().keySet());
        }
        return List.copyOf(names);
    }

    /** The text-column names of all rows, in first-seen order. */
    public List<String> labelNames() {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (Row r : rows) {
            names.addAll(r.labels().keySet());
        }
        return List.copyOf(names);
    }

    /** Replaces row {@code i} (e.g. by one with a label added). */
    public MetricsTable set(int i, Row row) {
        rows.set(i, Objects.requireNonNull(row, "row"));
        return this;
    }

    /** All column names: method, steps, the metrics, train_seconds, sample_seconds, the text columns. */
    public List<String> columns() {
        List<String> c = new ArrayList<>();
        c.add(METHOD);
        c.add(STEPS);
        c.addAll(metricNames());
        c.add(TRAIN_SECONDS);
        c.add(SAMPLE_SECONDS);
        c.addAll(labelNames());
        return c;
    }

    /**
     * {@code [{"method": "ddim", "steps": 4, "mmd": 0.0123, ..., "train_seconds": null,
     * "sample_seconds": 0.25}, ...]}, one object per line; every object has every column.
     */
    public String toJson() {
        List<String> names = metricNames();
        List<String> labelNames = labelNames();
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            b.append(i == 0 ? "\n  {" : ",\n  {");
            b.append(Json.string(METHOD)).append(": ").append(Json.string(r.method()));
            b.append(", ").append(Json.string(STEPS)).append(": ").append(r.steps());
            for (String n : names) {
                b.append(", ").append(Json.string(n)).append(": ").append(Json.number(r.metric(n)));
            }
            b.append(", ").append(Json.string(TRAIN_SECONDS)).append(": ").append(Json.number(r.trainSeconds()));
            b.append(", ").append(Json.string(SAMPLE_SECONDS)).append(": ").append(Json.number(r.sampleSeconds()));
            for (String n : labelNames) {
                b.append(", ").append(Json.string(n)).append(": ").append(Json.string(r.label(n)));
            }
            b.append('}');
        }
        return b.append(rows.isEmpty() ? "]\n" : "\n]\n").toString();
    }

    /** Header line and one line per row; numbers in full precision, non-finite values empty. */
    public String toCsv() {
        List<String> names = metricNames();
        List<String> labelNames = labelNames();
        StringBuilder b = new StringBuilder();
        List<String> header = columns();
        for (int i = 0; i < header.size(); i++) {
            b.append(i == 0 ? "" : ",").append(csvField(header.get(i)));
        }
        b.append('\n');
        for (Row r : rows) {
            b.append(csvField(r.method())).append(',').append(r.steps());
            for (String n : names) {
                b.append(',').append(csvNumber(r.metric(n)));
            }
            b.append(',').append(csvNumber(r.trainSeconds())).append(',').append(csvNumber(r.sampleSeconds()));
            for (String n : labelNames) {
                b.append(',').append(csvField(r.label(n)));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** An aligned table for the terminal: text left-aligned, numbers right-aligned, a rule under the header. */
    public String toText() {
        List<String[]> cells = displayCells();
        int cols = cells.get(0).length;
        int[] width = widths(cells);
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                line.append(pad(cells.get(r)[c], width[c], c > 0));
            }
            b.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                for (int c = 0; c < cols; c++) {
                    b.append(c > 0 ? "  " : "").append("-".repeat(width[c]));
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    /** A GitHub-flavoured Markdown table; numeric columns right-aligned. */
    public String toMarkdown() {
        List<String[]> cells = displayCells();
        int cols = cells.get(0).length;
        int[] width = widths(cells);
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            b.append('|');
            for (int c = 0; c < cols; c++) {
                b.append(' ').append(pad(cells.get(r)[c].replace("|", "\\|"), width[c], c > 0)).append(" |");
            }
            b.append('\n');
            if (r == 0) {
                b.append('|');
                for (int c = 0; c < cols; c++) {
                    int w = Math.max(3, width[c]);
                    b.append(' ').append(c == 0 ? ":" + "-".repeat(w - 1) : "-".repeat(w - 1) + ":").append(" |");
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    /** Header and rows as display strings: four significant digits, "-" for missing or non-finite. */
    List<String[]> displayCells() {
        List<String> names = metricNames();
        List<String> labelNames = labelNames();
        List<String[]> out = new ArrayList<>();
        out.add(columns().toArray(String[]::new));
        for (Row r : rows) {
            String[] line = new String[names.size() + 4 + labelNames.size()];
            line[0] = r.method();
            line[1] = Integer.toString(r.steps());
            for (int i = 0; i < names.size(); i++) {
                line[2 + i] = format(r.metric(names.get(i)));
            }
            line[names.size() + 2] = format(r.trainSeconds());
            line[names.size() + 3] = format(r.sampleSeconds());
            for (int i = 0; i < labelNames.size(); i++) {
                String v = r.label(labelNames.get(i));
                line[names.size() + 4 + i] = v.isEmpty() ? "-" : v;
            }
            out.add(line);
        }
        return out;
    }

    /**
     * A number for people: integers as integers, otherwise four significant digits, in plain
     * notation between 1e-4 and 1e6 and scientific outside; "-" for NaN, "inf"/"-inf" for infinities.
     */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e6) {
            String s = new BigDecimal(v).round(new MathContext(4)).toPlainString();
            return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        }
        return String.format(java.util.Locale.ROOT, "%.3e", v);
    }

    private static int[] widths(List<String[]> cells) {
        int[] w = new int[cells.get(0).length];
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                w[c] = Math.max(w[c], line[c].length());
            }
        }
        return w;
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }

    private static String csvNumber(double v) {
        return Double.isFinite(v) ? Json.exact(v) : "";
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
