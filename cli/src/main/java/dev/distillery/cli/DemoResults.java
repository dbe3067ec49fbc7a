package dev.distillery.cli;

import dev.distillery.cli.report.LossHistory;
import dev.distillery.cli.report.MetricsTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a demo measured: the metrics table (teacher DDIM baselines first, then one row per method
 * and step count), the sample sets for the pictures, the loss histories, and the failures in one
 * line each. A failed training or sampling still gets its rows (with empty metrics), so the table
 * always has every method at every step count.
 */
final class DemoResults {
    /** Row name of the teacher's own DDIM baselines. */
    static final String TEACHER_DDIM = "teacher-ddim";

    /** One method (or the teacher baseline): its samples per step count (null where failed). */
    record Entry(String name, String description, Map<Integer, double[][]> samples, LossHistory losses,
                 int stepsDone, double trainSeconds, List<String> failures) {
    }

    private final Dataset dataset;
    private final Evaluation evaluation;
    private final int[] sampleSteps;
    private final MetricsTable table = new MetricsTable();
    private final List<Entry> entries = new ArrayList<>();
    /** The teacher DDIM's primary distance at each NFE, the baseline of {@link #VS_TEACHER}. */
    private final Map<Integer, Double> baseline = new LinkedHashMap<>();

    /**
     * Column: the row's primary distance to the data ({@link Dataset#primaryMetric()}) divided by
     * the teacher DDIM's at the same number of network evaluations; below 1 means the method beats
     * its baseline (NaN where the teacher was not sampled at that NFE).
     */
    static final String VS_TEACHER = "vs_teacher";

    DemoResults(Dataset dataset, Evaluation evaluation, int[] sampleSteps) {
        this.dataset = dataset;
        this.evaluation = evaluation;
        this.sampleSteps = sampleSteps.clone();
    }

    /** The teacher's deterministic DDIM at the same step counts as the students (same NFE). */
    void addTeacherBaselines(Teacher teacher) {
        Map<Integer, double[][]> samples = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (int steps : sampleSteps) {
            long start = System.nanoTime();
            try {
                double[][] x = Dataset.rows(teacher.ddim(evaluation.noise(), steps));
                double seconds = MethodRun.seconds(start);
                samples.put(steps, x);
                Map<String, Double> m = evaluation.measure(x, steps);
                baseline.put(steps, m.getOrDefault(dataset.primaryMetric(), Double.NaN));
                m.put(VS_TEACHER, 1.0);
                table.add(TEACHER_DDIM, steps, m, 0.0, seconds);
            } catch (RuntimeException e) {
                failures.add("teacher DDIM at " + steps + " steps failed: " + MethodRun.describe(e));
                samples.put(steps, null);
                table.add(TEACHER_DDIM, steps, Map.of(), 0.0, MethodRun.seconds(start));
            }
        }
        entries.add(new Entry(TEACHER_DDIM, "The teacher itself, deterministic DDIM (eta = 0) at the same number "
                + "of network evaluations as the students: the baseline every method must beat.", samples, null, 0, 0.0, failures));
    }

    void addMethod(MethodRun.Trained trained, List<MethodRun.Sampled> sampled) {
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
                m.put(VS_TEACHER, m.getOrDefault(dataset.primaryMetric(), Double.NaN)
                        / baseline.getOrDefault(s.nfe(), Double.NaN));
                table.add(name, steps, m, trained.trainSeconds(), s.seconds());
            }
        }
        entries.add(new Entry(name, trained.method().description(), samples, trained.losses(), trained.stepsDone(),
                trained.trainSeconds(), failures));
    }

    MetricsTable table() {
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
    List<String> failures() {
        List<String> all = new ArrayList<>();
        for (Entry e : entries) {
            e.failures().forEach(f -> all.add(e.name() + ": " + f));
        }
        return all;
    }
}
