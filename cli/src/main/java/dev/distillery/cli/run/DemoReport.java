package dev.distillery.cli.run;


import dev.distillery.autograd.io.Json;
import dev.distillery.cli.data.Criterion;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.data.Metrics;
import dev.distillery.cli.data.Pictures;
import dev.distillery.cli.report.HtmlReport;
import dev.distillery.cli.report.ImageGrid;
import dev.distillery.cli.report.LossPlot;
import dev.distillery.cli.report.MachineInfo;
import dev.distillery.cli.report.MetricsTable;
import dev.distillery.cli.report.RunDirectory;
import dev.distillery.cli.report.ScatterPlot;
import dev.distillery.cli.report.SeedAggregate;
import dev.distillery.cli.teacher.Teacher;
import dev.distillery.distill.DistillMethod;
import dev.distillery.nn.models.ModelConfig;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a demo's folder: {@code report.html} (self-contained), {@code metrics.json},
 * {@code metrics.csv}, {@code table.txt} (over all seeds: means, {@code <metric>_sd} spreads with
 * more than one seed, and the verdict columns), {@code metrics-seed<s>.csv} per seed when there are
 * several, {@code frontier.csv} (the teacher's samplers over NFE), {@code speedup.csv},
 * {@code frontier.png} (quality against NFE; byte-identical for a seed) and
 * {@code frontier-seconds.png} (against wall-clock), {@code failures.json}, {@code samples.png}
 * (rows = teacher and methods, columns = 1, 2, 4 steps, plus the teacher's DDIM-50 and DDPM-1000
 * and real data), {@code losses-<method>.png} per trained method, and
 * {@code samples/<method>-<steps>.csv} (the samples, for {@code distillery eval}). Pictures and
 * sample files are of the first seed.
 */
public final class DemoReport {

    /**
     * Everything measured, over all seeds.
     *
     * @param table     the aggregated table with verdicts (what metrics.csv holds)
     * @param perSeed   each seed's raw table
     * @param seeds     the seed of each of those tables
     * @param first     the first seed's results (pictures, samples, losses)
     * @param frontier  the teacher's frontier points (first seed)
     * @param speedups  each student's speedup over DDPM-1000 ({@link Frontier#speedups})
     * @param methods   the student methods in run order
     * @param failures  one line each, all seeds
     */
    record Outcome(MetricsTable table, List<MetricsTable> perSeed, List<Long> seeds, DemoResults first,
                   List<Frontier.Point> frontier, MetricsTable speedups, List<String> methods, List<String> failures) {

        static Outcome of(Dataset data, List<DemoResults> perSeed, List<Frontier.Point> frontier,
                          List<String> frontierFailures, List<DistillMethod> chosen, int samples) {
            List<MetricsTable> tables = perSeed.stream().map(DemoResults::table).toList();
            MetricsTable table = Verdict.apply(SeedAggregate.of(tables), data, samples);
            List<String> methods = chosen.stream().map(DistillMethod::name).toList();
            MetricsTable.Row ref = Verdict.find(table, DemoResults.ddpmRow(data), -1);
            Map<String, Integer> natural = new LinkedHashMap<>();
            chosen.forEach(m -> natural.put(m.name(), m.naturalSteps()));
            MetricsTable speedups = ref == null ? new MetricsTable()
                    : Frontier.speedups(data, table, ref, methods, natural, frontier);
            List<String> failures = new ArrayList<>(frontierFailures);
            for (DemoResults r : perSeed) {
                r.failures().forEach(f -> failures.add(perSeed.size() > 1 ? "seed " + r.evaluation().seed() + ": " + f : f));
            }
            return new Outcome(table, tables, perSeed.stream().map(r -> r.evaluation().seed()).toList(), perSeed.get(0),
                    frontier, speedups, methods, failures);
        }
    }

    private static final int GAP = 6;

    private final Dataset dataset;
    private final Teacher teacher;
    private final Teacher conditionalTeacher;
    private final Budget budget;
    private final ModelConfig student;
    private final long seed;
    private final int seeds;
    private final boolean quick;
    private final Outcome outcome;
    private final DemoResults results;
    private final String commandLine;
    private final Map<String, Double> phaseSeconds;
    private final double totalSeconds;
    private final String backend;

    /**
     * @param conditionalTeacher the class-conditional teacher the run trained or loaded for the
     *                           methods that need one (guided distillation), or null
     */
    DemoReport(Dataset dataset, Teacher teacher, Teacher conditionalTeacher, Budget budget, ModelConfig student,
               long seed, int seeds, boolean quick, Outcome outcome, String commandLine, Map<String, Double> phaseSeconds,
               double totalSeconds, String backend) {
        this.dataset = dataset;
        this.teacher = teacher;
        this.conditionalTeacher = conditionalTeacher;
        this.budget = budget;
        this.student = student;
        this.seed = seed;
        this.seeds = seeds;
        this.quick = quick;
        this.outcome = outcome;
        this.results = outcome.first();
        this.commandLine = commandLine;
        this.phaseSeconds = new LinkedHashMap<>(phaseSeconds);
        this.totalSeconds = totalSeconds;
        this.backend = backend;
    }

    void write(RunDirectory dir) {
        MetricsTable table = outcome.table();
        dir.writeString("metrics.json", table.toJson());
        dir.writeString("metrics.csv", table.toCsv());
        dir.writeString("table.txt", table.toText());
        dir.writeString("failures.json", failuresJson(outcome.failures()));
        if (outcome.perSeed().size() > 1) {
            for (int k = 0; k < outcome.perSeed().size(); k++) {
                dir.writeString("metrics-seed" + outcome.seeds().get(k) + ".csv", outcome.perSeed().get(k).toCsv());
            }
        }
        MetricsTable frontierTable = Frontier.table(outcome.frontier());
        dir.writeString("frontier.csv", frontierTable.toCsv());
        dir.writeString("speedup.csv", outcome.speedups().toCsv());
        MetricsTable.Row floor = Verdict.find(outcome.perSeed().get(0), DemoResults.REAL_DATA, -1);
        BufferedImage byNfe = Frontier.figure(dataset, outcome.frontier(), outcome.perSeed().get(0), outcome.methods(), floor, false);
        BufferedImage bySeconds = Frontier.figure(dataset, outcome.frontier(), outcome.perSeed().get(0), outcome.methods(), floor, true);
        dir.writePng("frontier.png", byNfe);
        dir.writePng("frontier-seconds.png", bySeconds);

        for (DemoResults.Entry e : results.entries()) {
            e.samples().forEach((steps, x) -> {
                if (x != null) {
                    dir.writeString("samples/" + fileName(e.name()) + "-" + steps + ".csv", SamplesCsv.format(x));
                }
            });
        }
        BufferedImage grid = sampleGrid();
        dir.writePng("samples.png", grid);
        HtmlReport html = new HtmlReport("distillery demo: " + dataset.key() + (quick ? " (quick)" : ""))
                .summary(summary())
                .commandLine(commandLine)
                .config(config())
                .metrics(table)
                .block("Quality against cost", frontierText(), null, HtmlReport.Figure.of("quality against NFE"
                        + (seeds > 1 ? " (first seed)" : ""), byNfe))
                .block("Quality against sampling wall-clock", "The same, against the seconds each setting took to "
                        + "draw all " + budget.samples() + " samples on this machine (not reproducible to the byte).",
                        null, HtmlReport.Figure.of("quality against sampling seconds", bySeconds))
                .block("The teacher's samplers", "Each sampler of the teacher at each NFE on the first seed's noise "
                        + "(frontier.csv): method = sampler, steps = NFE, sample_seconds = wall-clock for all samples.",
                        frontierTable, null)
                .block("Speedup over the teacher's DDPM-" + dataset.ddpmReferenceSteps(), speedupText(), outcome.speedups(), null)
                .figure(HtmlReport.Figure.of("Samples from the same noise: rows are the teacher's DDIM and each method, "
                        + "columns 1, 2 and 4 steps", grid));
        for (DemoResults.Entry e : results.entries()) {
            List<HtmlReport.Figure> figures = new ArrayList<>();
            BufferedImage row = ImageGrid.compose(new BufferedImage[][] {panels(e)}, GAP);
            figures.add(HtmlReport.Figure.of(e.name() + " at " + stepsText(), row));
            if (e.losses() != null && !e.losses().series().isEmpty()) {
                int smoothing = Math.max(1, Math.min(50, e.stepsDone() / 10));
                BufferedImage curves = LossPlot.render(e.name() + " losses", e.losses().series(),
                        LossPlot.Options.DEFAULT.withSmoothing(smoothing));
                dir.writePng("losses-" + fileName(e.name()) + ".png", curves);
                figures.add(HtmlReport.Figure.of("training losses (" + e.stepsDone() + " steps)", curves));
            }
            String text = e.description() + (e.failures().isEmpty() ? "" : " FAILED: " + String.join("; ", e.failures()));
            html.section(e.name(), text, figures.toArray(HtmlReport.Figure[]::new));
        }
        Map<String, Double> timings = new LinkedHashMap<>(phaseSeconds);
        for (DemoResults.Entry e : results.entries()) {
            if (e.losses() != null) {
                timings.put("train " + e.name() + (seeds > 1 ? " (first seed)" : ""), e.trainSeconds());
            }
        }
        timings.put("total (before writing the report)", totalSeconds);
        html.timings(timings).machine(MachineInfo.current(backend));
        dir.writeString("report.html", html.render());
    }

    private String summary() {
        return "Teacher: " + teacher.description() + "." + (conditionalTeacher == null ? ""
                : " Guided distillation needs labels and classifier-free guidance, so it distils a second, "
                + conditionalTeacher.description() + "; its teacher_distance is still measured against the first "
                + "teacher's endpoints.") + " Every method is trained for " + budget.describeSteps()
                + " (batch " + budget.batchSize() + ") and sampled at " + stepsText() + " on the same "
                + budget.samples() + " noise vectors; the teacher-ddim rows are the teacher's own deterministic DDIM at "
                + "the same step counts, teacher-ddim" + Dataset.TEACHER_ODE_STEPS + " and teacher-ddpm"
                + dataset.ddpmReferenceSteps() + " its reference samplers (deterministic DDIM-" + Dataset.TEACHER_ODE_STEPS
                + " and ancestral DDPM-" + dataset.ddpmReferenceSteps() + ") on the same noise.\n\n"
                + (seeds > 1 ? "The whole comparison ran for " + seeds + " seeds (" + seed + " to " + (seed + seeds - 1)
                + ": evaluation noise, reference data, student initialisation and training randomness each time; the "
                + "teacher is trained once): every cell is the mean \u00b1 the sample standard deviation over the seeds "
                + "(columns <metric>_sd in metrics.csv; each seed's own table in metrics-seed<s>.csv); pictures show "
                + "the first seed.\n\n" : "")
                + floorText() + "\n\n" + Metrics.of(dataset).note()
                + "\n\n" + Verdict.describe(Metrics.of(dataset).criteria())
                + (outcome.failures().isEmpty() ? "" : "\n\nFailures: " + String.join("; ", outcome.failures()) + ".");
    }

    /** The sentence on the real-vs-real floor, with its values. */
    private String floorText() {
        MetricsTable.Row floor = Verdict.find(outcome.table(), DemoResults.REAL_DATA, -1);
        StringBuilder values = new StringBuilder();
        if (floor != null) {
            for (String name : outcome.table().metricNames()) {
                if (name.equals("nfe") || name.equals("teacher_distance") || name.equals("nonfinite_fraction")
                        || name.endsWith(SeedAggregate.SD)) {
                    continue;
                }
                values.append(values.length() == 0 ? "" : ", ").append(name).append(' ')
                        .append(MetricsTable.format(floor.metric(name)));
            }
        }
        return "The real-data row is each metric's floor: an independent real sample of the same size ("
                + budget.samples() + ") measured against the same reference data" + (values.length() == 0 ? "" : " ("
                + values + ")") + ". That is what a perfect sampler scores; differences smaller than the floor's "
                + "resolution cannot be told apart from sampling noise.";
    }

    private String frontierText() {
        return "Each panel is one metric against network evaluations per sample (log scale): the teacher's samplers "
                + "swept over NFE (DDIM, DPM-Solver++(2M), Heun (EDM's second-order solver: 2 evaluations per step less "
                + "one) and ancestral DDPM, solid; all on the teacher's uniform-time grid, so the curves compare solvers, "
                + "not grids) and each student at its step counts (dashed), with the real-data floor dotted. "
                + "Teacher sweep and students are of the first seed" + (seeds > 1 ? " (the table has all seeds)." : ".")
                + (dataset.frontierMaxNfe() < 1000 ? " On this dataset the sweep stops at NFE " + dataset.frontierMaxNfe()
                + " and the ancestral reference is DDPM-" + dataset.ddpmReferenceSteps() + ": each evaluation of an image "
                + "teacher (a U-Net, or the analytic mixture over every training image) costs far more than on 2-D data." : "");
    }

    private String speedupText() {
        return "For each student, its smallest NFE whose coverage is at least the teacher's DDPM-" + dataset.ddpmReferenceSteps()
                + " (" + coverageRule() + "; means over seeds), and the ratios speedup_nfe = DDPM's NFE / the student's "
                + "and speedup_seconds = DDPM's sampling seconds / the student's (speedup at equal quality, as "
                + "Salimans & Ho 2022 report progressive distillation); 'none' when no step count reaches it. "
                + "And, read off the frontier: " + Frontier.TEACHER_NFE + " = the fewest NFE at which any of the "
                + "teacher's samplers reaches the student at its natural step count (the same rule, the student as "
                + "the reference), and " + Frontier.NFE_SAVING + " = that over the student's NFE: what one student "
                + "evaluation is worth in teacher evaluations (empty: no teacher point in the sweep reaches it).";
    }

    private String coverageRule() {
        List<Criterion> cs = Metrics.of(dataset).criteria();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(2, cs.size()); i++) {
            Criterion c = cs.get(i);
            b.append(i == 0 ? "" : " and ").append(c.metric()).append(c.higherIsBetter() ? " >= " : " <= ").append("DDPM's")
                    .append(c.noise() == Criterion.Noise.ONE_UNIT ? (c.higherIsBetter() ? " - 1" : " + 1") : "");
        }
        return b.toString();
    }

    private Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("dataset", dataset.key());
        c.put("teacher", teacher.description());
        if (conditionalTeacher != null) {
            c.put("class-conditional teacher (guided)", conditionalTeacher.description());
        }
        c.put("schedule", teacher.denoiser().schedule());
        c.put("methods", outcome.methods());
        c.put("steps per method", budget.describeSteps());
        StringBuilder done = new StringBuilder();
        for (DemoResults.Entry e : outcome.first().entries()) {
            if (e.losses() != null) {
                done.append(done.length() == 0 ? "" : ", ").append(e.name()).append(' ').append(e.stepsDone());
            }
        }
        c.put("training steps done (first seed)", done.toString());
        c.put("batch size", budget.batchSize());
        c.put("evaluation samples", budget.samples());
        c.put("student", student);
        c.put("seed", seed);
        c.put("seeds", seeds);
        return c;
    }

    /** Rows: each entry; columns: the step counts, then (first row only) teacher endpoints and data. */
    private BufferedImage sampleGrid() {
        List<BufferedImage[]> rows = new ArrayList<>();
        for (DemoResults.Entry e : results.entries()) {
            rows.add(panels(e));
        }
        BufferedImage[] refs = new BufferedImage[results.sampleSteps().length];
        refs[0] = Pictures.of(dataset, "teacher DDIM-" + Dataset.TEACHER_ODE_STEPS, results.evaluation().teacherEndpoints());
        if (refs.length > 1) {
            refs[1] = Pictures.of(dataset, "data", results.evaluation().reference());
        }
        if (refs.length > 2 && results.ddpmSamples() != null) {
            refs[2] = Pictures.of(dataset, "teacher DDPM-" + dataset.ddpmReferenceSteps(), results.ddpmSamples());
        }
        rows.add(refs);
        return ImageGrid.compose(rows.toArray(BufferedImage[][]::new), GAP);
    }

    private BufferedImage[] panels(DemoResults.Entry e) {
        int[] steps = results.sampleSteps();
        BufferedImage[] row = new BufferedImage[steps.length];
        for (int j = 0; j < steps.length; j++) {
            double[][] s = e.samples().get(steps[j]);
            String title = ScatterPlot.title(e.name(), steps[j]) + (s == null ? (e.failures().isEmpty() ? " (not offered)" : " (failed or not offered)") : "");
            row[j] = Pictures.of(dataset, title, s == null ? new double[0][] : s);
        }
        return row;
    }

    private String stepsText() {
        StringBuilder sb = new StringBuilder();
        int[] steps = results.sampleSteps();
        for (int i = 0; i < steps.length; i++) {
            sb.append(i == 0 ? "" : i == steps.length - 1 ? " and " : ", ").append(steps[i]);
        }
        return sb.append(" steps").toString();
    }

    static String failuresJson(List<String> failures) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < failures.size(); i++) {
            sb.append(i == 0 ? "" : ",").append("\n  ").append(Json.string(failures.get(i)));
        }
        return sb.append(failures.isEmpty() ? "]\n" : "\n]\n").toString();
    }

    /** A method name as a safe file-name part. */
    public static String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
