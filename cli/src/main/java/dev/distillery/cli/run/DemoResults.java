package dev.distillery.cli.run;


import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.data.Rows;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.report.LossHistory;
import dev.distillery.cli.report.MetricsTable;
import dev.distillery.cli.teacher.Teacher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one seed of a demo measured: the metrics table (the real-data floor, the teacher's reference
 * samplers DDIM-50 and DDPM-1000, the teacher's DDIM baselines at the students' step counts, then
 * one row per method and step count), the sample sets for the pictures, the loss histories, and
 * the failures in one line each. A failed training or sampling still gets its rows (with empty
 * metrics), so the table always has every method at every step count. Verdicts are added later,
 * over all seeds ({@link Verdict#apply}).
 */
public final class DemoResults {
    /** Prefix of every row of the teacher's own samplers. */
    public static final String TEACHER_PREFIX = "teacher-";
    /** Row name of the teacher's own DDIM baselines. */
    public static final String TEACHER_DDIM = "teacher-ddim";
    /** Row of the teacher's deterministic reference sampler, DDIM-{@value Dataset#TEACHER_ODE_STEPS}. */
    public static final String TEACHER_DDIM50 = "teacher-ddim" + Dataset.TEACHER_ODE_STEPS;
    /** Row of the real-vs-real floor ({@link Evaluation#measureFloor()}). */
    public static final String REAL_DATA = "real-data";
    /**
     * Row of the teacher's ancestral reference sampler, DDPM with {@link Dataset#ddpmReferenceSteps()}
     * steps: {@code teacher-ddpm1000} on 25-Gaussians.
     */
    static String ddpmRow(Dataset dataset) {
        return TEACHER_PREFIX + "ddpm" + dataset.ddpmReferenceSteps();
    }

    /** One method (or the teacher baseline): its samples per step count (null where failed). */
    record Entry(String name, String description, Map<Integer, double[][]> samples, LossHistory losses,
                 int stepsDone, double trainSeconds, List<String> failures) {
    }

    private final Dataset dataset;
    private final Evaluation evaluation;
    private final int[] sampleSteps;
    private final MetricsTable table = new MetricsTable();
    private final List<Entry> entries = new ArrayList<>();
    private final List<String> referenceFailures = new ArrayList<>();
    private double[][] ddpmSamples;

    public DemoResults(Dataset dataset, Evaluation evaluation, int[] sampleSteps) {
        this.dataset = dataset;
        this.evaluation = evaluation;
        this.sampleSteps = sampleSteps.clone();
    }

    /** The real-vs-real floor row ({@link #REAL_DATA}, steps 0). */
    public void addFloor() {
        table.add(REAL_DATA, 0, evaluation.measureFloor(), Double.NaN, Double.NaN);
    }

    /**
     * The teacher's reference samplers: DDIM-50 (the evaluation's ODE endpoints, already sampled)
     * and DDPM (ancestral, {@link Dataset#ddpmReferenceSteps()} steps), sampled here unless {@code ddpm} (the frontier's DDPM-1000 point on
     * the same noise and key) is given.
     */
    void addTeacherReferences(Teacher teacher, Frontier.Point ddpm) {
        addReferences(teacher, ddpm);
    }

    /** The teacher's reference samplers, DDPM sampled here (a sweep's reference cell has no frontier). */
    public void addTeacherReferences(Teacher teacher) {
        addReferences(teacher, null);
    }

    private void addReferences(Teacher teacher, Frontier.Point ddpm) {
        table.add(TEACHER_DDIM50, Dataset.TEACHER_ODE_STEPS,
                evaluation.measure(evaluation.teacherEndpoints(), Dataset.TEACHER_ODE_STEPS), 0.0, evaluation.endpointSeconds());
        if (ddpm != null) {
            ddpmSamples = ddpm.samples();
            table.add(ddpmRow(dataset), ddpm.nfe(), ddpm.metrics(), 0.0, ddpm.seconds());
            return;
        }
        int steps = dataset.ddpmReferenceSteps();
        long start = System.nanoTime();
        try {
            double[][] x = Rows.of(Frontier.Sampler.DDPM.sample(teacher, evaluation.noise(), steps,
                    Frontier.keyFor(evaluation, Frontier.Sampler.DDPM, steps)));
            double seconds = MethodRun.seconds(start);
            ddpmSamples = x;
            table.add(ddpmRow(dataset), steps, evaluation.measure(x, steps), 0.0, seconds);
        } catch (RuntimeException e) {
            referenceFailures.add("teacher DDPM-" + steps + " failed: " + CliException.describe(e));
            table.add(ddpmRow(dataset), steps, Map.of(), 0.0, MethodRun.seconds(start));
        }
    }

    /** The DDPM-1000 samples of {@link #addTeacherReferences}, or null. */
    double[][] ddpmSamples() {
        return ddpmSamples;
    }

    /** The teacher's deterministic DDIM at the same step counts as the students (same NFE). */
    public void addTeacherBaselines(Teacher teacher) {
        Map<Integer, double[][]> samples = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (int steps : sampleSteps) {
            long start = System.nanoTime();
            try {
                double[][] x = Rows.of(teacher.ddim(evaluation.noise(), steps));
                double seconds = MethodRun.seconds(start);
                samples.put(steps, x);
                Map<String, Double> m = evaluation.measure(x, steps);
                table.add(TEACHER_DDIM, steps, m, 0.0, seconds);
            } catch (RuntimeException e) {
                failures.add("teacher DDIM at " + steps + " steps failed: " + CliException.describe(e));
                samples.put(steps, null);
                table.add(TEACHER_DDIM, steps, Map.of(), 0.0, MethodRun.seconds(start));
            }
        }
        entries.add(new Entry(TEACHER_DDIM, "The teacher itself, deterministic DDIM (eta = 0) at the same number "
                + "of network evaluations as the students: the baseline every method must beat.", samples, null, 0, 0.0, failures));
    }

    public void addMethod(MethodRun.Trained trained, List<MethodRun.Sampled> sampled) {
        String name = trained.method().name();
        Map<Integer, double[][]> samples = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        if (trained.failure() != null) {
            failures.add(trained.failure());
        }
        Map<Integer, MethodRun.Sampled> byStep = new LinkedHashMap<>();
        sampled.forEach(s -> byStep.put(s.steps(), s));
        for (int steps : sampleSteps) {
            MethodRun.Sampled s = byStep.get(steps);
            if (s == null || s.failure() != null || s.samples() == null) {
                if (s != null && s.failure() != null) {
                    failures.add(s.failure());
                }
                samples.put(steps, null);
                table.add(name, steps, Map.of(), trained.trainSeconds(), s == null ? Double.NaN : s.seconds());
            } else {
                samples.put(steps, s.samples());
                Map<String, Double> m = evaluation.measure(s.samples(), s.nfe());
                table.add(name, steps, m, trained.trainSeconds(), s.seconds());
            }
        }
        entries.add(new Entry(name, trained.method().description(), samples, trained.losses(), trained.stepsDone(),
                trained.trainSeconds(), failures));
    }

    public MetricsTable table() {
        return table;
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    int[] sampleSteps() {
        return sampleSteps.clone();
    }

    Dataset dataset() {
        return dataset;
    }

    Evaluation evaluation() {
        return evaluation;
    }

    /** "method: what failed", one per failure, in run order. */
    public List<String> failures() {
        List<String> all = new ArrayList<>(referenceFailures);
        for (Entry e : entries) {
            e.failures().forEach(f -> all.add(e.name() + ": " + f));
        }
        return all;
    }
}
