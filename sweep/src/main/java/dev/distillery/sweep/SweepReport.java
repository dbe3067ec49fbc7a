package dev.distillery.sweep;

import dev.distillery.cli.GridCell;
import dev.distillery.cli.report.AtomicFiles;
import dev.distillery.cli.report.FrontierPlot;
import dev.distillery.cli.report.HtmlReport;
import dev.distillery.cli.report.MetricsTable;
import dev.distillery.cli.run.DemoResults;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code report.html} of a sweep: per method (and each of its settings), quality against training
 * budget with the 95 % interval over seeds; the demo's frontier figure (quality against NFE) at the
 * largest budget, with error bars, the teacher's DDIM (1, 2, 4 and 50 steps) and DDPM reference
 * samplers among its curves; the best setting of each method and of each of its settings; and every
 * setting's mean and interval.
 */
final class SweepReport {
    static final String FILE = "report.html";
    /** Suffix of a metric's interval half-width column. */
    static final String CI = "_ci95";

    private SweepReport() {
    }

    /** What the report states besides the results. */
    record Context(Grid grid, String teacher, String master, int parallelism, String commandLine, int ran, int skipped,
                   double wallSeconds, double serialSeconds) {
    }

    static void write(Path out, List<CellResult> results, Context ctx) {
        String dataset = ctx.grid().dataset();
        List<Settings.Setting> settings = Settings.of(results);
        HtmlReport r = new HtmlReport("distillery sweep: " + ctx.grid().methods().size() + " methods x "
                + ctx.grid().seeds().size() + " seeds x " + ctx.grid().budgets().size() + " budgets x "
                + ctx.grid().batches().size() + " batch sizes" + settingsCount(ctx.grid()) + " on " + dataset)
                .summary(summary(ctx))
                .commandLine(ctx.commandLine())
                .config(config(ctx))
                .timings(timings(ctx));
        r.block("Best setting per method", "For each method (and each of its settings over the recipe, column "
                + "setting), the budget, batch size and sample step count whose mean over seeds ranks first on " + String.join(", then ", GridCell.rankingMetrics(dataset))
                + "; each metric's mean with the half-width of its 95 % interval over seeds (" + CI + ").",
                best(dataset, settings), null);
        r.figure(HtmlReport.Figure.of("Quality against training budget, each method at its natural sample step count: "
                + "mean over seeds, bars the 95 % interval", budgetFigure(dataset, settings, ctx.grid())));
        r.figure(HtmlReport.Figure.of("The frontier at the largest budget: quality against NFE, the teacher's DDIM "
                + "at 1, 2, 4 and 50 steps and its ancestral DDPM reference sampler (solid) and the students (dashed), "
                + "bars the 95 % interval over seeds", frontierFigure(dataset, settings, ctx.grid())));
        r.metrics(table(settings));
        try {
            AtomicFiles.writeString(out.resolve(FILE), r.render());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve(FILE), e);
        }
    }

    private static String summary(Context ctx) {
        return String.format(java.util.Locale.ROOT, "%d cells ran in this run, %d were already done (resumed). Wall time of "
                        + "this run's Spark job: %.1f s on %s (parallelism %d); the same cells one after another on one core "
                        + "(their own times added): %.1f s.%n%nTeacher: %s.", ctx.ran(), ctx.skipped(), ctx.wallSeconds(),
                ctx.master(), ctx.parallelism(), ctx.serialSeconds(), ctx.teacher());
    }

    private static Map<String, Object> config(Context ctx) {
        Map<String, Object> c = new LinkedHashMap<>();
        Grid g = ctx.grid();
        c.put("dataset", g.dataset());
        c.put("methods", String.join(", ", g.methods()));
        if (!g.settings().isEmpty()) {
            List<String> lines = new ArrayList<>();
            g.settings().forEach((m, knobs) -> knobs.forEach((k, v) -> lines.add(m + "." + k + " = " + String.join(", ", v))));
            c.put("method settings", String.join("; ", lines));
        }
        c.put("seeds", g.seeds());
        c.put("budgets", g.budgets().stream().map(Budget::token).toList());
        c.put("batch sizes", g.batches());
        c.put("evaluation samples", g.samples());
        c.put("master", ctx.master());
        return c;
    }

    private static Map<String, Double> timings(Context ctx) {
        Map<String, Double> t = new LinkedHashMap<>();
        t.put("Spark job, wall", ctx.wallSeconds());
        t.put("cells run, one after another (sum of their times)", ctx.serialSeconds());
        return t;
    }

    /** Every setting: means and interval half-widths of every metric. */
    static MetricsTable table(List<Settings.Setting> settings) {
        MetricsTable t = new MetricsTable();
        for (Settings.Setting s : settings) {
            t.add(row(s));
        }
        return t;
    }

    private static MetricsTable.Row row(Settings.Setting s) {
        Map<String, Double> m = new LinkedHashMap<>();
        s.metrics().forEach((name, spread) -> {
            m.put(name, spread.mean());
            if (!name.equals("nfe")) {
                m.put(name + CI, spread.half());
            }
        });
        return new MetricsTable.Row(s.name(), s.sampleSteps(), m, s.trainSeconds(), Double.NaN)
                .withLabel("setting", s.setting())
                .withLabel("budget", s.reference() ? "" : s.budget())
                .withLabel("train_steps", s.reference() ? "" : Integer.toString(s.trainSteps()))
                .withLabel("batch", s.reference() ? "" : Integer.toString(s.batch()))
                .withLabel("seeds", Integer.toString(s.seeds()));
    }

    /**
     * Per method, and per setting of it over its recipe, its best budget, batch and sample steps by
     * the dataset's ranking metrics (means over seeds).
     */
    static MetricsTable best(String dataset, List<Settings.Setting> settings) {
        Comparator<Settings.Setting> better = null;
        for (String metric : GridCell.rankingMetrics(dataset)) {
            boolean higher = GridCell.higherIsBetter(dataset, metric);
            Comparator<Settings.Setting> c = Comparator.comparingDouble(s -> rankValue(s.metric(metric).mean(), higher));
            better = better == null ? c : better.thenComparing(c);
        }
        Comparator<Settings.Setting> order = better;
        Map<String, Settings.Setting> best = new LinkedHashMap<>();
        for (Settings.Setting s : settings) {
            if (!s.reference()) {
                // the first of equals stays: the smaller budget, in grid order
                best.merge(s.label(), s, (a, b) -> order.compare(b, a) < 0 ? b : a);
            }
        }
        MetricsTable t = new MetricsTable();
        best.values().forEach(s -> t.add(row(s)));
        return t;
    }

    /** Smaller is better; NaN ranks last. */
    private static double rankValue(double v, boolean higherIsBetter) {
        return Double.isNaN(v) ? Double.POSITIVE_INFINITY : higherIsBetter ? -v : v;
    }

    private static BufferedImage budgetFigure(String dataset, List<Settings.Setting> settings, Grid grid) {
        List<FrontierPlot.Panel> panels = new ArrayList<>();
        boolean relative = grid.budgets().stream().allMatch(Budget::relative);
        for (String metric : GridCell.headlineMetrics(dataset)) {
            List<FrontierPlot.Curve> curves = new ArrayList<>();
            for (String method : grid.methods()) {
                int natural = GridCell.naturalSteps(method);
                for (String setting : grid.settingsOf(method)) {
                    for (int batch : grid.batches()) {
                        List<Settings.Setting> points = settings.stream().filter(s -> !s.reference() && s.name().equals(method)
                                && s.setting().equals(setting) && s.batch() == batch && s.sampleSteps() == natural).toList();
                        String name = label(method, setting) + (grid.batches().size() > 1 ? " b" + batch : "");
                        curves.add(curve(name, points, metric, s -> relative ? new Budget(s.budget()).axisValue() : s.trainSteps(),
                                false));
                    }
                }
            }
            panels.add(new FrontierPlot.Panel(metric, curves, floor(settings, metric), logY(metric)));
        }
        return FrontierPlot.render("Quality against training budget (mean and 95 % interval over "
                + grid.seeds().size() + " seeds); dotted: real data", relative ? "training budget (share of the method's "
                + "recipe, log)" : "training steps (log)", panels, 400, 330);
    }

    private static BufferedImage frontierFigure(String dataset, List<Settings.Setting> settings, Grid grid) {
        Budget largest = grid.budgets().stream().max(Comparator.comparingDouble(Budget::axisValue)).orElseThrow();
        int batch = grid.batches().get(0);
        List<FrontierPlot.Panel> panels = new ArrayList<>();
        for (String metric : GridCell.headlineMetrics(dataset)) {
            List<FrontierPlot.Curve> curves = new ArrayList<>();
            // the teacher's DDIM at the students' step counts and at its reference 50 steps, one curve
            curves.add(curve("teacher ddim", settings.stream().filter(s -> s.reference() && (s.name().equals(DemoResults.TEACHER_DDIM)
                    || s.name().equals(DemoResults.TEACHER_DDIM50))).toList(), metric, s -> s.metric("nfe").mean(), true));
            List<Settings.Setting> ddpm = settings.stream().filter(s -> s.reference()
                    && s.name().startsWith(DemoResults.TEACHER_PREFIX + "ddpm")).toList();
            if (!ddpm.isEmpty()) {
                curves.add(curve("teacher ddpm-" + ddpm.get(0).sampleSteps(), ddpm, metric, s -> s.metric("nfe").mean(), true));
            }
            for (String method : grid.methods()) {
                for (String setting : grid.settingsOf(method)) {
                    curves.add(curve(label(method, setting), settings.stream().filter(s -> !s.reference() && s.name().equals(method)
                            && s.setting().equals(setting) && s.budget().equals(largest.token()) && s.batch() == batch).toList(),
                            metric, s -> s.metric("nfe").mean(), false));
                }
            }
            panels.add(new FrontierPlot.Panel(metric, curves, floor(settings, metric), logY(metric)));
        }
        return FrontierPlot.render("Quality against NFE at budget " + largest.token() + ", batch " + batch
                + " (mean and 95 % interval over seeds); dotted: real data", "network evaluations per sample (NFE, log)",
                panels, 400, 330);
    }

    private static FrontierPlot.Curve curve(String name, List<Settings.Setting> unordered, String metric,
                                            java.util.function.ToDoubleFunction<Settings.Setting> x, boolean reference) {
        // along the x axis: the line joins neighbours
        List<Settings.Setting> points = unordered.stream().sorted(Comparator.comparingDouble(x)).toList();
        int n = points.size();
        double[] xs = new double[n];
        double[] y = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int i = 0; i < n; i++) {
            SeedSpread s = points.get(i).metric(metric);
            xs[i] = x.applyAsDouble(points.get(i));
            y[i] = s.mean();
            lo[i] = s.low();
            hi[i] = s.high();
        }
        return new FrontierPlot.Curve(name, xs, y, reference, lo, hi);
    }

    /** A legend's name: {@code cd} or {@code cd mu=0.99}. */
    private static String label(String method, String setting) {
        return setting.isEmpty() ? method : method + " " + setting;
    }

    /** {@code " x 2 settings of cd"}-style note for the title, empty without settings. */
    private static String settingsCount(Grid g) {
        int extra = 0;
        for (String m : g.methods()) {
            extra += g.settingsOf(m).size() - 1;
        }
        return extra == 0 ? "" : " (" + (extra + g.methods().size()) + " method settings)";
    }

    private static double floor(List<Settings.Setting> settings, String metric) {
        return settings.stream().filter(s -> s.reference() && s.name().equals("real-data")).findFirst()
                .map(s -> s.metric(metric).mean()).orElse(Double.NaN);
    }

    private static boolean logY(String metric) {
        return metric.equals("sliced_w2") || metric.equals("fd") || metric.equals("mmd");
    }
}
