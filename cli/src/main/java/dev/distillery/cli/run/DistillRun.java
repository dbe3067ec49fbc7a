package dev.distillery.cli.run;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.progress.Progress;
import dev.distillery.cli.progress.ProgressFactory;
import dev.distillery.cli.report.RunDirectory;
import dev.distillery.cli.store.DistillCheckpoints;
import dev.distillery.cli.store.StudentFolder;
import dev.distillery.cli.store.StudentRecord;
import dev.distillery.cli.teacher.Architectures;
import dev.distillery.cli.teacher.Teacher;
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

/**
 * The pipeline that {@code demo} and {@code distill} share: the teacher (once, with the base
 * seed), then for each seed ({@code seed, seed + 1, ...}: a fresh evaluation set, reference data,
 * student initialisations and training randomness) the real-data floor, the teacher's reference
 * samplers and DDIM baselines, then per method train, sample and measure; on the first seed also
 * the teacher's frontier sweep ({@link Frontier}). The seeds' tables are aggregated and judged
 * ({@link DemoReport.Outcome}), the report is written and committed and the table printed.
 *
 * <p>With a {@link RunConfig#studentFolder()}, the (single) method's trained student of the first
 * seed is written into that subfolder of the run ({@link StudentFolder}) for {@code sample
 * --student}; such a single-method run ({@code distill}) fails as a whole, with one line, when its
 * method's training or sampling fails (a NaN loss or sample). With checkpoints (a single-method
 * run: {@code distill --checkpoint}) its training is saved there and, on a resume, continued from
 * there ({@link DistillCheckpoints}).
 */
public final class DistillRun {
    private final RunConfig config;
    private final DistillCheckpoints checkpoints;

    /** @param checkpoints where the single method's training is saved and resumed from, or null */
    public DistillRun(RunConfig config, DistillCheckpoints checkpoints) {
        this.config = config;
        this.checkpoints = checkpoints;
    }

    /**
     * Runs the pipeline into {@code dir} (committed at the end), with progress from
     * {@code progressFactory}, and prints the table, failures and where the report went on {@code out}.
     */
    public void execute(RunDirectory dir, ProgressFactory progressFactory, PrintWriter out) {
        long started = System.nanoTime();
        Dataset data = config.dataset();
        List<DistillMethod> chosen = config.methods();
        Budget budget = config.budget();
        long seed = config.seed();
        Progress progress = progressFactory.create();
        long t0 = System.nanoTime();
        // a run of guided distillation alone needs only the class-conditional teacher
        boolean onlyConditional = chosen.stream().allMatch(DistillMethod::needsClassConditionalTeacher);
        Teacher teacher = onlyConditional ? config.teachers().obtainClassConditional(data, seed, progress)
                : config.teachers().obtain(data, seed, progress);
        double teacherSeconds = MethodRun.seconds(t0);
        if (checkpoints != null) {
            checkpoints.useTeacher(teacher.network()); // a resume with another teacher stops here, not after the evaluation
        }
        ConditionalTeacher conditional = new ConditionalTeacher(config.teachers(), data, seed, progress);

        List<DemoResults> perSeed = new ArrayList<>();
        List<Frontier.Point> frontier = List.of();
        List<String> frontierFailures = new ArrayList<>();
        double frontierSeconds = 0;
        double evaluationSeconds = 0;
        boolean savedStudent = false;
        for (int k = 0; k < config.seeds(); k++) {
            long s = seed + k;
            long e0 = System.nanoTime();
            Evaluation eval = new Evaluation(data, teacher, budget.samples(), s);
            DemoResults results = new DemoResults(data, eval, config.sampleSteps());
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
            savedStudent |= runMethods(dir, s, k == 0, teacher, conditional, eval, results, progressFactory, progress);
            perSeed.add(results);
        }

        DemoReport.Outcome outcome = DemoReport.Outcome.of(data, perSeed, frontier, frontierFailures, chosen,
                budget.samples());
        ModelConfig student = Architectures.student(data, config.narrow(), seed, Conditioning.none(), teacher);
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("teacher", teacherSeconds);
        timings.put("evaluation sets and real-data floors" + (config.seeds() > 1 ? " (all seeds)" : ""), evaluationSeconds);
        timings.put("teacher frontier sweep (first seed, " + budget.samples() + " samples)", frontierSeconds);
        DemoReport report = new DemoReport(data, teacher, conditional.obtained(), budget, student, seed, config.seeds(),
                config.narrow(), outcome, config.commandLine(), timings, MethodRun.seconds(started),
                Backends.current().name() + " (" + Backends.current().threads() + " threads)");
        report.write(dir);
        Path where = dir.commit();
        out.print(outcome.table().toText());
        outcome.failures().forEach(f -> out.println("FAILED " + f));
        out.println("report: " + where.resolve("report.html"));
        if (savedStudent) {
            out.println("student: " + where.resolve(config.studentFolder()));
        }
        if (checkpoints != null) {
            out.println("checkpoint: " + checkpoints.dir() + (checkpoints.resumedAfter() > 0
                    ? " (resumed after " + checkpoints.resumedAfter() + " steps)" : ""));
        }
        out.flush();
    }

    /**
     * One seed's methods: train, (optionally save,) sample at every step count and measure, into
     * {@code results}, in the order chosen. Methods are independent, so they train side by side,
     * as many at a time as the backend has threads, each on one thread ({@link SideBySide}): a
     * small model's step parallelises poorly across threads, two trainings do not. Each method's
     * numbers are the same bit for bit however many run at once. Returns whether a student was
     * written (a single method's run, trained alone, on its first seed).
     */
    private boolean runMethods(RunDirectory dir, long seed, boolean firstSeed, Teacher teacher, ConditionalTeacher conditional,
                               Evaluation eval, DemoResults results, ProgressFactory progressFactory, Progress progress) {
        Dataset data = config.dataset();
        Budget budget = config.budget();
        List<DistillMethod> chosen = config.methods();
        String studentFolder = firstSeed ? config.studentFolder() : null;
        DistillCheckpoints saves = firstSeed ? checkpoints : null;
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
            DistillSetup setup = StudentSetup.of(data, from, m, config.narrow(), budget.batchSize(), seed);
            Rng rng = new Rng(RngKey.of(seed).fold(1000 + i));
            jobs.add(() -> {
                Progress p = width > 1 ? progressFactory.createSideBySide() : progress;
                MethodRun.Trained trained = MethodRun.train(m, setup, budget.stepsFor(m), rng, p, saves);
                if (studentFolder != null && trained.failure() != null) {
                    // distill runs one method: its failure is the command's, and no student or report is written
                    throw new CliException(m.name() + ": " + trained.failure());
                }
                if (studentFolder != null && trained.distiller() != null) {
                    var state = trained.distiller().state();
                    StudentFolder.write(dir.resolve(studentFolder), StudentRecord.of(m, data, seed, config.narrow(),
                            budget.batchSize(), budget.stepsFor(m), from, state), state, from);
                }
                List<MethodRun.Sampled> sampled = new ArrayList<>();
                if (trained.generator() != null) {
                    for (int steps : config.sampleSteps()) {
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
}
