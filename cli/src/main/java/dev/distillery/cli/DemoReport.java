package dev.distillery.cli;

import dev.distillery.cli.report.HtmlReport;
import dev.distillery.cli.report.ImageGrid;
import dev.distillery.cli.report.Json;
import dev.distillery.cli.report.LossPlot;
import dev.distillery.cli.report.MachineInfo;
import dev.distillery.cli.report.RunDirectory;
import dev.distillery.cli.report.ScatterPlot;
import dev.distillery.nn.models.ModelConfig;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a demo's folder: {@code report.html} (self-contained), {@code metrics.json},
 * {@code metrics.csv}, {@code table.txt}, {@code failures.json}, {@code samples.png} (rows =
 * teacher and methods, columns = 1, 2, 4 steps, plus the teacher's ODE endpoints and real data),
 * {@code losses-<method>.png} per trained method, and {@code samples/<method>-<steps>.csv} (the
 * samples, for {@code distillery eval}).
 */
final class DemoReport {
    private static final int GAP = 6;

    private final Dataset dataset;
    private final Teacher teacher;
    private final Teacher conditionalTeacher;
    private final DemoCommand.Budget budget;
    private final ModelConfig student;
    private final long seed;
    private final boolean quick;
    private final DemoResults results;
    private final String commandLine;
    private final double teacherSeconds;
    private final double totalSeconds;
    private final String backend;

    /**
     * @param conditionalTeacher the class-conditional teacher the run trained or loaded for the
     *                           methods that need one (guided distillation), or null
     */
    DemoReport(Dataset dataset, Teacher teacher, Teacher conditionalTeacher, DemoCommand.Budget budget, ModelConfig student, long seed, boolean quick,
               DemoResults results, String commandLine, double teacherSeconds, double totalSeconds, String backend) {
        this.dataset = dataset;
        this.teacher = teacher;
        this.conditionalTeacher = conditionalTeacher;
        this.budget = budget;
        this.student = student;
        this.seed = seed;
        this.quick = quick;
        this.results = results;
        this.commandLine = commandLine;
        this.teacherSeconds = teacherSeconds;
        this.totalSeconds = totalSeconds;
        this.backend = backend;
    }

    void write(RunDirectory dir) {
        dir.writeString("metrics.json", results.table().toJson());
        dir.writeString("metrics.csv", results.table().toCsv());
        dir.writeString("table.txt", results.table().toText());
        dir.writeString("failures.json", failuresJson(results.failures()));

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
                .metrics(results.table())
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
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("teacher and evaluation set", teacherSeconds);
        for (DemoResults.Entry e : results.entries()) {
            if (e.losses() != null) {
                timings.put("train " + e.name(), e.trainSeconds());
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
                + "the same step counts. " + dataset.metricsNote()
                + (results.failures().isEmpty() ? "" : " Failures: " + String.join("; ", results.failures()) + ".");
    }

    private Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("dataset", dataset.key());
        c.put("teacher", teacher.description());
        if (conditionalTeacher != null) {
            c.put("class-conditional teacher (guided)", conditionalTeacher.description());
        }
        c.put("schedule", teacher.denoiser().schedule());
        c.put("methods", results.entries().stream().map(DemoResults.Entry::name).filter(n -> !n.equals(DemoResults.TEACHER_DDIM)).toList());
        c.put("steps per method", budget.describeSteps());
        c.put("batch size", budget.batchSize());
        c.put("evaluation samples", budget.samples());
        c.put("student", student);
        c.put("seed", seed);
        return c;
    }

    /** Rows: each entry; columns: the step counts, then (first row only) teacher endpoints and data. */
    private BufferedImage sampleGrid() {
        List<BufferedImage[]> rows = new ArrayList<>();
        for (DemoResults.Entry e : results.entries()) {
            rows.add(panels(e));
        }
        BufferedImage[] refs = new BufferedImage[results.sampleSteps().length];
        refs[0] = dataset.picture("teacher DDIM-" + Dataset.TEACHER_ODE_STEPS, results.evaluation().teacherEndpoints());
        if (refs.length > 1) {
            refs[1] = dataset.picture("data", results.evaluation().reference());
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
            row[j] = dataset.picture(title, s == null ? new double[0][] : s);
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
    static String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
