package dev.distillery.cli;




import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.cli.data.Criterion;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.data.Metrics;
import dev.distillery.cli.progress.Progress;
import dev.distillery.cli.report.MetricsTable;
import dev.distillery.cli.run.DatasetRecipes;
import dev.distillery.cli.run.DemoResults;
import dev.distillery.cli.run.Evaluation;
import dev.distillery.cli.run.MethodRegistry;
import dev.distillery.cli.run.MethodRun;
import dev.distillery.cli.run.RunConfig;
import dev.distillery.cli.run.StudentSetup;
import dev.distillery.cli.teacher.Teacher;
import dev.distillery.distill.DistillMethod;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Knob;
import dev.distillery.distill.MethodSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * One cell of a study grid, run exactly as the demo runs one method for one seed: the evaluation
 * set of the seed ({@link Evaluation}), the method trained for a budget ({@link MethodRun}), sampled
 * at the demo's step counts and measured into the demo's rows ({@link DemoResults}). The public
 * entry point for code outside the CLI's commands (the sweep module runs one per Spark task).
 *
 * <p>A cell is a function of its coordinates alone (dataset, teacher, method and its settings, seed,
 * budget, batch, samples): the training randomness is drawn from the seed and the method's position in the
 * registry (the stream a demo of every method gives the method), so a cell gives the demo's row for
 * the same settings and the same numbers on every machine, thread and partition.
 */
public final class GridCell {
    private GridCell() {
    }

    /**
     * What a cell measured.
     *
     * @param table    one row per sample step count (a failed training or sampling keeps its rows,
     *                 with no metrics)
     * @param failures what failed, one line each
     */
    public record Outcome(MetricsTable table, List<String> failures) {
        public Outcome {
            failures = List.copyOf(failures);
        }
    }

    /** The step counts every student is sampled at, as in the demo. */
    public static int[] sampleSteps() {
        return RunConfig.SAMPLE_STEPS.clone();
    }

    /** The registered methods' names, in registry order. */
    public static List<String> methodNames() {
        return MethodRegistry.names();
    }

    /** The recipe budget of {@code method} (its training steps on 25-Gaussians); fails on an unknown name. */
    public static int recipeSteps(String method) {
        return MethodRegistry.byName(method, "--methods").recommendedSteps();
    }

    /** The step count {@code method}'s student is meant to be sampled at (its headline row). */
    public static int naturalSteps(String method) {
        return MethodRegistry.byName(method, "--methods").naturalSteps();
    }

    /** The settings {@code method} takes over its recipe, with their descriptions and defaults. */
    public static List<Knob> knobs(String method) {
        return MethodRegistry.byName(method, "--methods").knobs();
    }

    /**
     * {@code settings} checked against {@code method}'s knobs, canonical ({@link DistillMethod#check}):
     * an unknown key or a bad value is an {@link IllegalArgumentException} naming the method, the
     * key and the valid keys.
     */
    public static MethodSettings checkSettings(String method, MethodSettings settings) {
        return MethodRegistry.byName(method, "--methods").check(settings);
    }

    /** Whether {@code method} distils a class-conditional teacher (guided distillation). */
    public static boolean needsClassConditionalTeacher(String method) {
        return MethodRegistry.byName(method, "--methods").needsClassConditionalTeacher();
    }

    /**
     * The method's position in the registry, which picks its training stream as in a demo of every
     * method. By name: the registry builds new entries on every call, and entries holding a recipe
     * object are not equal across calls, so {@code all().indexOf(entry)} would find none (-1) and give
     * every method one and the same stream.
     */
    static int streamPosition(String method) {
        int position = MethodRegistry.names().indexOf(method);
        if (position < 0) {
            throw new IllegalArgumentException("unknown method '" + method + "'; " + MethodRegistry.names());
        }
        return position;
    }

    /**
     * Trains {@code method} for {@code steps} steps on batches of {@code batch} from {@code teacher},
     * samples it at {@link #sampleSteps()} on the seed's {@code samples} noise vectors and measures.
     * Runs on the calling thread's backend; never throws for a failing method (see {@link Outcome}).
     */
    public static Outcome method(ShippedTeacher teacher, String method, long seed, int steps, int batch, int samples) {
        return method(teacher, method, MethodSettings.NONE, seed, steps, batch, samples);
    }

    /**
     * As {@link #method(ShippedTeacher, String, long, int, int, int)}, the method built with
     * {@code settings} over its recipe. The training randomness is the method's stream of the seed
     * whatever the settings, so the cells of one method and seed differ only by their settings.
     *
     * @throws IllegalArgumentException when the method refuses {@code settings} ({@link #checkSettings})
     */
    public static Outcome method(ShippedTeacher teacher, String method, MethodSettings settings, long seed, int steps, int batch,
                                 int samples) {
        Dataset data = Dataset.parse(teacher.dataset());
        DistillMethod registered = MethodRegistry.byName(method, "--methods");
        int position = streamPosition(method);
        DistillMethod m = DatasetRecipes.of(data, registered).withSettings(settings);
        Teacher base = teacher.teacher();
        Evaluation eval = new Evaluation(data, base, samples, seed);
        DemoResults results = new DemoResults(data, eval, RunConfig.SAMPLE_STEPS);
        Teacher from = m.needsClassConditionalTeacher() ? teacher.classConditionalTeacher() : base;
        if (m.needsClassConditionalTeacher() && from.classes() < 1) {
            results.addMethod(MethodRun.Trained.failed(m, "needs a class-conditional teacher, and " + from.description()
                    + " has no classes"), List.of());
            return new Outcome(results.table(), results.failures());
        }
        DistillSetup setup = StudentSetup.of(data, from, m, false, batch, seed);
        // the stream the demo gives the method at this position of a run of every method
        Rng rng = new Rng(RngKey.of(seed).fold(1000 + position));
        MethodRun.Trained trained = MethodRun.train(m, setup, steps, rng, Progress.NONE);
        List<MethodRun.Sampled> sampled = new ArrayList<>();
        if (trained.generator() != null) {
            for (int s : RunConfig.SAMPLE_STEPS) {
                sampled.add(MethodRun.sample(trained.generator(), eval, s));
            }
        }
        results.addMethod(trained, sampled);
        return new Outcome(results.table(), results.failures());
    }

    /**
     * The seed's yardsticks, which every method of the seed is read against, as the demo measures
     * them: the real-data floor ({@code real-data}), the teacher's reference samplers DDIM-50
     * ({@code teacher-ddim50}, the evaluation's ODE endpoints, already sampled) and ancestral DDPM
     * ({@code teacher-ddpm1000} on 25-Gaussians, on the seed's noise and the demo's key), and the
     * teacher's own deterministic DDIM at the students' step counts ({@code teacher-ddim}).
     */
    public static Outcome references(ShippedTeacher teacher, long seed, int samples) {
        Dataset data = Dataset.parse(teacher.dataset());
        Teacher base = teacher.teacher();
        DemoResults results = new DemoResults(data, new Evaluation(data, base, samples, seed), RunConfig.SAMPLE_STEPS);
        results.addFloor();
        results.addTeacherReferences(base);
        results.addTeacherBaselines(base);
        return new Outcome(results.table(), results.failures());
    }

    /** The dataset's headline metrics (the frontier figure's panels), best first. */
    public static List<String> headlineMetrics(String dataset) {
        return Metrics.of(Dataset.parse(dataset)).frontier();
    }

    /** The metrics that rank settings on {@code dataset}, first decisive (its verdict criteria). */
    public static List<String> rankingMetrics(String dataset) {
        return Metrics.of(Dataset.parse(dataset)).criteria().stream().map(Criterion::metric).toList();
    }

    /** Whether a larger value of {@code metric} is better on {@code dataset} (from its verdict criteria). */
    public static boolean higherIsBetter(String dataset, String metric) {
        for (Criterion c : Metrics.of(Dataset.parse(dataset)).criteria()) {
            if (c.metric().equals(metric)) {
                return c.higherIsBetter();
            }
        }
        return !(metric.equals("sliced_w2") || metric.equals("fd") || metric.equals("mmd") || metric.endsWith("distance"));
    }
}
