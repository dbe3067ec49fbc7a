package dev.distillery.cli.command;



import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.report.RunDirectory;
import dev.distillery.cli.run.Budget;
import dev.distillery.cli.run.DatasetRecipes;
import dev.distillery.cli.run.DemoReport;
import dev.distillery.cli.run.DistillRun;
import dev.distillery.cli.run.MethodRegistry;
import dev.distillery.cli.run.RunConfig;
import dev.distillery.cli.store.CheckpointTarget;
import dev.distillery.cli.store.DistillCheckpoints;
import dev.distillery.cli.store.DistillRecord;
import dev.distillery.cli.teacher.TeacherSource;
import dev.distillery.distill.DistillMethod;
import dev.distillery.distill.MethodSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * One method of the demo, with its budget in the user's hands: distils the teacher (analytic, or
 * a network from {@code --teacher-checkpoint}) with {@code --method}, samples the student at the
 * {@code --sample-steps}, and writes the same report folder as {@code demo}, plus the trained student
 * in {@code student/} ({@link StudentFolder}), which {@code sample --student} and {@code eval --student} read.
 * {@code --set key=value} overrides a setting of the method's recipe ({@link DistillMethod#knobs()});
 * the student folder and the checkpoint record the settings.
 *
 * <p>With {@code --checkpoint DIR} the training is saved into DIR every {@code --checkpoint-every}
 * steps and after the last ({@link DistillCheckpoints}), and {@code --resume} continues a run
 * killed at any point from its last save, ending bit for bit where an uninterrupted run ends: the
 * flags mirror {@code train}'s ({@code --force} then also starts the training again, replacing
 * the saved one).
 */
@Command(name = "distill", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Distil the teacher with one method, sample, measure, and write a report folder.")
final class DistillCommand implements Callable<Integer> {
    /** The run's subfolder that receives the trained student. */
    static final String STUDENT_FOLDER = "student";

    @Spec
    CommandSpec spec;

    @Option(names = "--method", required = true, paramLabel = "NAME", description = "The method (see 'distillery distill --list').")
    String method;

    @Option(names = "--set", split = ",", paramLabel = "KEY=VALUE",
            description = "Override a setting of the method's recipe, e.g. --set mu=0.99 (repeatable; the methods' settings "
                    + "and defaults: docs/SWEEPS.md; a wrong key is answered with the method's keys).")
    List<String> set = new ArrayList<>();

    @Mixin
    DatasetOption dataset;

    @Option(names = "--steps", paramLabel = "N",
            description = "Training steps (default: the method's recipe budget on 2-D data; 300 on digits).")
    Integer steps;

    @Option(names = "--batch", paramLabel = "N", description = "Batch size (default 128; digits 64).")
    Integer batch;

    @Option(names = "--samples", paramLabel = "N", description = "Samples per evaluation (default 2000; digits 256).")
    Integer samples;

    @Option(names = "--sample-steps", split = ",", defaultValue = "1,2,4", paramLabel = "K",
            description = "Student step counts to sample at (default ${DEFAULT-VALUE}).")
    int[] sampleSteps;

    @Option(names = "--narrow", description = "The narrow student of 'demo --quick'.")
    boolean narrow;

    @Mixin
    SeedOption seed;

    @Mixin
    TeacherOptions teacher;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "Save the training into this folder every --checkpoint-every steps and at the end, so that "
                    + "--resume can continue it (default: no checkpoints).")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Save the --checkpoint every N steps and at the end (default " + CheckpointTarget.DEFAULT_EVERY + ").")
    Integer checkpointEvery;

    @Option(names = "--resume", description = "Continue the training saved in --checkpoint from its last save (with the "
            + "flags it was started with); without a save there, start one.")
    boolean resume;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() {
        Dataset data = dataset.parse();
        DistillMethod m;
        try {
            m = DatasetRecipes.of(data, MethodRegistry.byName(method.trim(), "--method")).withSettings(MethodSettings.parse(set));
        } catch (IllegalArgumentException e) {
            throw new CliException("--set: " + e.getMessage());
        }
        Budget budget = (data == Dataset.DIGITS ? Budget.DIGITS_FULL : Budget.FULL).with(steps, "--steps", batch, samples);
        for (int k : sampleSteps) {
            if (k < 1) {
                throw new CliException("--sample-steps must all be at least 1, got " + k);
            }
        }
        TeacherSource teachers = teacher.source(defaultTeacher(data));
        String commandLine = "distillery distill " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        RunConfig config = new RunConfig("distill-" + DemoReport.fileName(m.name()), data, budget, List.of(m), teachers, narrow,
                seed.value, 1, sampleSteps, commandLine, STUDENT_FOLDER);
        try (DistillCheckpoints checkpoints = checkpoints(m, data, budget);
             RunDirectory dir = run.open(config.command())) {
            new DistillRun(config, checkpoints).execute(dir, run.progress(spec.commandLine().getErr()),
                    spec.commandLine().getOut());
        }
        return 0;
    }

    /** The teacher without {@code --teacher}: the digits U-Net in the jar, else the exact mixture (no training first). */
    private static String defaultTeacher(Dataset data) {
        return TeacherSource.defaultKind(data, "analytic");
    }

    /** The run's checkpointing with {@code --checkpoint}, else null (and no checkpoint flag may be given). */
    private DistillCheckpoints checkpoints(DistillMethod m, Dataset data, Budget budget) {
        if (checkpoint == null) {
            if (resume) {
                throw new CliException("--resume needs --checkpoint DIR, the folder the run to continue was saved in");
            }
            if (checkpointEvery != null) {
                throw new CliException("--checkpoint-every needs --checkpoint DIR, the folder to save the training in");
            }
            return null;
        }
        DistillRecord record = new DistillRecord(m.name(), m.settings().label(), data.key(), budget.stepsFor(m), budget.batchSize(), narrow, seed.value,
                teacher.checkpoint != null ? "checkpoint" : teacher.kind != null ? teacher.kind.trim().toLowerCase(Locale.ROOT)
                        : defaultTeacher(data),
                teacher.checkpoint == null ? null : teacher.checkpoint.toAbsolutePath().normalize().toString(),
                teacher.prediction, teacher.steps, null);
        return DistillCheckpoints.open(checkpoint, checkpointEvery == null ? CheckpointTarget.DEFAULT_EVERY : checkpointEvery,
                run.force, resume, record);
    }
}
