package dev.distillery.cli;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.cli.progress.Progress;
import dev.distillery.cli.progress.ProgressFactory;
import dev.distillery.cli.report.RunDirectory;
import dev.distillery.distill.DistillMethod;
import dev.distillery.distill.DistillSetup;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.models.ModelConfig;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job: obtain the teacher, distil it with every registered method (or the
 * {@code --methods} subset) for its recipe's step budget, sample every student at 1, 2 and 4
 * steps on one shared noise batch, measure against the real-data floor and the teacher's own
 * samplers (with {@code --seeds N}, N times over), and write a report folder; the table also goes
 * to stdout.
 *
 * <p><b>Budget.</b> The budget is a step count per method, not a time: the run is then the same on
 * every machine. By default each method trains for its recipe's budget
 * ({@link DistillMethod#recommendedSteps()}, the budget at which it converges on 25-Gaussians,
 * docs/RESULTS.md), so the full demo takes about eight minutes on two cores; {@code --quick} trains a
 * shorter teacher and 7 % of every budget on fewer samples (about a minute: it shows the
 * pipeline and where each method starts, not converged students).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Distil the teacher with every method, sample at 1, 2 and 4 steps, measure, and write a report.")
final class DemoCommand implements Callable<Integer> {

    /**
     * Budget of one run size.
     *
     * @param stepsPerMethod training steps of every method, or null: each method's recipe
     *                       ({@link DistillMethod#recommendedSteps()}) times {@code recipeScale}
     * @param recipeScale    the share of each recipe's budget a run of this size trains (1 for the full
     *                       demo; less for {@code --quick}, whose students are narrower)
     */
    record Budget(Integer stepsPerMethod, double recipeScale, int batchSize, int samples) {
        /**
         * {@code base} with the values the user gave (null: keep the base's), each checked with a
         * one-line error naming its flag.
         */
        Budget with(Integer steps, String stepsFlag, Integer batch, Integer n) {
            Budget b = new Budget(steps == null ? stepsPerMethod : steps, recipeScale,
                    batch == null ? batchSize : batch, n == null ? samples : n);
            if (b.stepsPerMethod != null && b.stepsPerMethod < 1) {
                throw new CliException(stepsFlag + " must be at least 1, got " + b.stepsPerMethod);
            }
            if (b.batchSize < 1) {
                throw new CliException("--batch must be at least 1, got " + b.batchSize);
            }
            if (b.samples < 2) {
                throw new CliException("--samples must be at least 2 (the metrics compare sample sets), got " + b.samples);
            }
            return b;
        }

        /** The training steps of {@code m} in a run of this budget. */
        int stepsFor(DistillMethod m) {
            return stepsPerMethod != null ? stepsPerMethod
                    : Math.max(1, (int) Math.round(m.recommendedSteps() * recipeScale));
        }

        /** "each method's recipe budget" or "300 steps", for reports. */
        String describeSteps() {
            return stepsPerMethod != null ? stepsPerMethod + " steps"
                    : recipeScale == 1.0 ? "its recipe's step budget" : recipeScale + " x its recipe's step budget";
        }
    }

    /** Default budget of the full demo on 2-D data: every method's own recipe budget. */
    static final Budget FULL = new Budget(null, 1.0, 128, 2000);
    /**
     * Training steps of the teacher {@code --quick} trains on 2-D data: the students start from its
     * weights, as in the full demo (the recipes' convergence depends on it), at a fraction of the cost.
     */
    static final int QUICK_TEACHER_STEPS = 600;
    /** Default budget of {@code --quick} on 2-D data: 7 % of every recipe's budget. */
    static final Budget QUICK = new Budget(null, 0.07, 128, 500);
    /** Digits: images cost far more per sample. */
    static final Budget DIGITS_FULL = new Budget(300, 1.0, 64, 256);
    static final Budget DIGITS_QUICK = new Budget(20, 1.0, 16, 64);
    /** The student step counts every method is sampled at. */
    static final int[] SAMPLE_STEPS = {1, 2, 4};

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "A small run (shorter teacher, 7 % of each method's budget, fewer "
            + "samples): about a minute; it shows the pipeline, not converged students.")
    boolean quick;

    @Option(names = "--dataset", defaultValue = "25gaussians", paramLabel = "NAME",
            description = "25gaussians or digits (default ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--methods", split = ",", paramLabel = "NAME",
            description = "Only these methods, comma-separated (default: all registered).")
    List<String> methods;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of data, noise and initialisations (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "1",
            description = "Repeat the comparison over N seeds (seed, seed + 1, ...; the teacher is trained once) and "
                    + "report mean and spread (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--steps-per-method", paramLabel = "N",
            description = "Training steps of every method (default: each method's recipe budget, 7 % of it "
                    + "with --quick; digits 300, 20).")
    Integer stepsPerMethod;

    @Option(names = "--samples", paramLabel = "N",
            description = "Samples per evaluation (default 2000, 500 with --quick; digits 256, 64).")
    Integer samples;

    @Mixin
    TeacherOptions teacher;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() {
        Dataset data = Dataset.parse(dataset);
        Budget budget = budget(data);
        if (seeds < 1) {
            throw new CliException("--seeds must be at least 1 (the number of seeds to repeat the comparison over), got " + seeds);
        }
        List<DistillMethod> chosen = MethodRegistry.select(methods, "--methods");
        TeacherSource teachers = data == Dataset.DIGITS ? teacher.source("analytic")
                : teacher.source("trained", quick ? QUICK_TEACHER_STEPS : null);
        String commandLine = "distillery demo " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        return execute(spec, run, "demo", data, budget, chosen, teachers, quick, seed, seeds, SAMPLE_STEPS, commandLine, null,
                null);
    }

    /**
     * {@link #execute(CommandSpec, RunOptions, String, Dataset, Budget, List, TeacherSource, boolean, long, int, int[], String, String, DistillCheckpoints)}
     * with one seed.
     */
    static int execute(CommandSpec spec, RunOptions run, String command, Dataset data, Budget budget,
                       List<DistillMethod> chosen, TeacherSource teachers, boolean quick, long seed, int[] sampleSteps,
                       String commandLine, String studentFolder, DistillCheckpoints checkpoints) {
        return execute(spec, run, command, data, budget, chosen, teachers, quick, seed, 1, sampleSteps, commandLine, studentFolder,
                checkpoints);
    }

    /**
     * The pipeline that {@code demo} and {@code distill} share: the teacher (once, with the base
     * seed), then for each of {@code seeds} seeds ({@code seed, seed + 1, ...}: a fresh evaluation
     * set, reference data, student initialisations and training randomness) the real-data floor,
     * the teacher's reference samplers and DDIM baselines, then per method train, sample and
     * measure; on the first seed also the teacher's frontier sweep ({@link Frontier}). The seeds'
     * tables are aggregated ({@link SeedAggregate}), judged ({@link Verdict}), the report is written
     * and committed and the table printed. With {@code studentFolder}, the (single) method's trained
     * student of the first seed is written into that subfolder of the run ({@link StudentFolder})
     * for {@code sample --student}; such a single-method run ({@code distill}) fails as a whole,
     * with one line, when its method's training or sampling fails (a NaN loss or sample). With
     * {@code checkpoints} (a single-method run: {@code distill --checkpoint}) its training is saved
     * there and, on a resume, continued from there ({@link DistillCheckpoints}).
     */
    static int execute(CommandSpec spec, RunOptions run, String command, Dataset data, Budget budget,
                       List<DistillMethod> chosen, TeacherSource teachers, boolean quick, long seed, int seeds, int[] sampleSteps,
                       String commandLine, String studentFolder, DistillCheckpoints checkpoints) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        try (RunDirectory dir = run.open(command)) {
            ProgressFactory progressFactory = run.progress(err);
            Progress progress = progressFactory.create();
            long t0 = System.nanoTime();
            // a run of guided distillation alone needs only the class-conditional teacher
            boolean onlyConditional = chosen.stream().allMatch(DistillMethod::needsClassConditionalTeacher);
            Teacher teacher = onlyConditional ? teachers.obtainClassConditional(data, seed, progress)
                    : teachers.obtain(data, seed, progress);
            double teacherSeconds = MethodRun.seconds(t0);
            if (checkpoints != null) {
                checkpoints.useTeacher(teacher.network()); // a resume with another teacher stops here, not after the evaluation
            }
            ConditionalTeacher conditional = new ConditionalTeacher(teachers, data, seed, progress);

            List<DemoResults> perSeed = new ArrayList<>();
            List<Frontier.Point> frontier = List.of();
            List<String> frontierFailures = new ArrayList<>();
            double frontierSeconds = 0;
            double evaluationSeconds = 0;
            boolean savedStudent = false;
            for (int k = 0; k < seeds; k++) {
                long s = seed + k;
                long e0 = System.nanoTime();
                Evaluation eval = new Evaluation(data, teacher, budget.samples(), s);
                DemoResults results = new DemoResults(data, eval, sampleSteps);
                results.addFloor();
                evaluationSeconds += MethodRun.seconds(e0);
                Frontier.Point ddpm = null;
                if (k == 0) {
                    // the sweep is drawn from the first seed only; its DDPM-1000 point is that seed's reference row
                    long f0 = System.nanoTime();
                    frontier = Frontier.sweep(teacher, eval, data.frontierMaxNfe(), progress, frontierFailures);
                    frontierSeconds = MethodRun.seconds(f0);
                    ddpm = frontier.stream().filter(p -> p.sampler() == Frontier.Sampler.DDPM
                            && p.nfe() == data.ddpmReferenceSteps()).findFirst().orElse(null);
                }
                results.addTeacherReferences(teacher, ddpm);
                results.addTeacherBaselines(teacher);
                savedStudent |= runMethods(dir, data, budget, chosen, teachers, quick, s, sampleSteps, k == 0 ? studentFolder : null,
                        teacher, conditional, eval, results, progressFactory, progress, k == 0 ? checkpoints : null);
                perSeed.add(results);
            }

            DemoReport.Outcome outcome = DemoReport.Outcome.of(data, perSeed, frontier, frontierFailures, chosen,
                    budget.samples());
            ModelConfig student = data.studentConfig(quick, seed, Conditioning.none(), teacher);
            Map<String, Double> timings = new LinkedHashMap<>();
            timings.put("teacher", teacherSeconds);
            timings.put("evaluation sets and real-data floors" + (seeds > 1 ? " (all seeds)" : ""), evaluationSeconds);
            timings.put("teacher frontier sweep (first seed, " + budget.samples() + " samples)", frontierSeconds);
            DemoReport report = new DemoReport(data, teacher, conditional.teacher, budget, student, seed, seeds, quick, outcome,
                    commandLine, timings, MethodRun.seconds(started),
                    Backends.current().name() + " (" + Backends.current().threads() + " threads)");
            report.write(dir);
            Path where = dir.commit();
            out.print(outcome.table().toText());
            outcome.failures().forEach(f -> out.println("FAILED " + f));
            out.println("report: " + where.resolve("report.html"));
            if (savedStudent) {
                out.println("student: " + where.resolve(studentFolder));
            }
            if (checkpoints != null) {
                out.println("checkpoint: " + checkpoints.dir() + (checkpoints.resumedAfter() > 0
                        ? " (resumed after " + checkpoints.resumedAfter() + " steps)" : ""));
            }
            out.flush();
        }
        return 0;
    }

    /**
     * One seed's methods: train, (optionally save,) sample at every step count and measure, into
     * {@code results}, in the order chosen. Methods are independent, so they train side by side,
     * as many at a time as the backend has threads, each on one thread ({@link SideBySide}): a
     * small model's step parallelises poorly across threads, two trainings do not. Each method's
     * numbers are the same bit for bit however many run at once. Returns whether a student was
     * written to {@code studentFolder} (a single method's run, trained alone).
     */
    private static boolean runMethods(RunDirectory dir, Dataset data, Budget budget, List<DistillMethod> chosen,
                                      TeacherSource teachers, boolean quick, long seed, int[] sampleSteps, String studentFolder,
                                      Teacher teacher, ConditionalTeacher conditional, Evaluation eval, DemoResults results,
                                      ProgressFactory progressFactory, Progress progress, DistillCheckpoints checkpoints) {
        int width = studentFolder != null ? 1 : Math.min(Backends.current().threads(), chosen.size());
        List<Callable<MethodOutcome>> jobs = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            DistillMethod m = chosen.get(i);
            Teacher distilled = teacher;
            if (m.needsClassConditionalTeacher() && teacher.classes() < 1) {
                try {
                    distilled = conditional.get(); // trained here, before anything runs side by side
                } catch (CliException e) {
                    MethodOutcome failed = new MethodOutcome(MethodRun.Trained.failed(m, e.getMessage()), List.of());
                    jobs.add(() -> failed);
                    continue;
                }
            }
            Teacher from = distilled;
            DistillSetup setup = setup(data, from, m, quick, budget.batchSize(), seed);
            Rng rng = new Rng(RngKey.of(seed).fold(1000 + i));
            jobs.add(() -> {
                Progress p = width > 1 ? progressFactory.createSideBySide() : progress;
                MethodRun.Trained trained = MethodRun.train(m, setup, budget.stepsFor(m), rng, p, checkpoints);
                if (studentFolder != null && trained.failure() != null) {
                    // distill runs one method: its failure is the command's, and no student or report is written
                    throw new CliException(m.name() + ": " + trained.failure());
                }
                if (studentFolder != null && trained.distiller() != null) {
                    var state = trained.distiller().state();
                    StudentFolder.write(dir.resolve(studentFolder), StudentRecord.of(m.name(), data, seed, quick,
                            budget.batchSize(), budget.stepsFor(m), from, state), state, from);
                }
                List<MethodRun.Sampled> sampled = new ArrayList<>();
                if (trained.generator() != null) {
                    for (int steps : sampleSteps) {
                        MethodRun.Sampled one = MethodRun.sample(trained.generator(), eval, steps);
                        if (studentFolder != null && one.failure() != null) {
                            throw new CliException(m.name() + ": " + one.failure());
                        }
                        sampled.add(one);
                    }
                }
                return new MethodOutcome(trained, sampled);
            });
        }
        boolean savedStudent = false;
        for (MethodOutcome o : SideBySide.run(jobs, width)) {
            results.addMethod(o.trained(), o.sampled());
            savedStudent |= studentFolder != null && o.trained().distiller() != null;
        }
        return savedStudent;
    }

    /** What one method's job hands back: its training and its samplings. */
    private record MethodOutcome(MethodRun.Trained trained, List<MethodRun.Sampled> sampled) {
    }

    /**
     * The class-conditional teacher for the methods that need one, obtained once (with the base
     * seed) on first use and shared by every seed; a failure to obtain it is remembered and
     * rethrown for each such method.
     */
    private static final class ConditionalTeacher {
        private final TeacherSource teachers;
        private final Dataset data;
        private final long seed;
        private final Progress progress;
        Teacher teacher;
        private CliException failure;

        ConditionalTeacher(TeacherSource teachers, Dataset data, long seed, Progress progress) {
            this.teachers = teachers;
            this.data = data;
            this.seed = seed;
            this.progress = progress;
        }

        Teacher get() {
            if (failure != null) {
                throw failure;
            }
            if (teacher == null) {
                try {
                    teacher = teachers.obtainClassConditional(data, seed, progress);
                } catch (CliException e) {
                    failure = e;
                    throw e;
                }
            }
            return teacher;
        }
    }

    /**
     * The setup every method of a run gets, and {@code sample --student} rebuilds: the teacher, its
     * network, the dataset's student architecture (the teacher network's own when there is one)
     * with the method's conditionings, real data, batch and seed.
     */
    static DistillSetup setup(Dataset data, Teacher teacher, DistillMethod m, boolean narrow, int batch, long seed) {
        return new DistillSetup(teacher.denoiser(), teacher.network(),
                data.studentConfig(narrow, seed, m.studentConditioning(teacher.classes()), teacher), data.data(),
                data.sampleShape(), Dataset.DTYPE, batch, seed);
    }

    private Budget budget(Dataset data) {
        Budget base = data == Dataset.DIGITS ? (quick ? DIGITS_QUICK : DIGITS_FULL) : (quick ? QUICK : FULL);
        return base.with(stepsPerMethod, "--steps-per-method", null, samples);
    }
}
