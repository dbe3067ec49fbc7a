package dev.distillery.cli.command;



import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.report.RunDirectory;
import dev.distillery.cli.run.Budget;
import dev.distillery.cli.run.DatasetRecipes;
import dev.distillery.cli.run.DistillRun;
import dev.distillery.cli.run.MethodRegistry;
import dev.distillery.cli.run.RunConfig;
import dev.distillery.cli.teacher.TeacherSource;
import dev.distillery.distill.DistillMethod;

import java.util.List;
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
 * to stdout. The command parses its flags into a {@link RunConfig}; {@link DistillRun} does the work.
 *
 * <p><b>Budget.</b> The budget ({@link Budget}) is a step count per method, not a time: the run is
 * then the same on every machine. By default each method trains for its recipe's budget
 * ({@link DistillMethod#recommendedSteps()}, the budget at which it converges on 25-Gaussians,
 * docs/RESULTS.md), so the full demo takes about eight minutes on two cores; {@code --quick} trains a
 * shorter teacher and 7 % of every budget on fewer samples (about a minute: it shows the
 * pipeline and where each method starts, not converged students).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Distil the teacher with every method, sample at 1, 2 and 4 steps, measure, and write a report.")
final class DemoCommand implements Callable<Integer> {
    /**
     * Training steps of the teacher {@code --quick} trains on 2-D data: the students start from its
     * weights, as in the full demo (the recipes' convergence depends on it), at a fraction of the cost.
     */
    static final int QUICK_TEACHER_STEPS = 600;

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "A small run (shorter teacher, 7 %% of each method's budget, fewer "
            + "samples): about a minute; it shows the pipeline, not converged students.")
    boolean quick;

    @Mixin
    DatasetOption dataset;

    @Option(names = "--methods", split = ",", paramLabel = "NAME",
            description = "Only these methods, comma-separated, or all (default: all registered; on digits cd, "
                    + "progressive, dmd and add).")
    List<String> methods;

    @Mixin
    SeedOption seed;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "1",
            description = "Repeat the comparison over N seeds (seed, seed + 1, ...; the teacher is trained once) and "
                    + "report mean and spread (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--steps-per-method", paramLabel = "N",
            description = "Training steps of every method (default: each method's recipe budget, 7 %% of it "
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
        Dataset data = dataset.parse();
        Budget base = data == Dataset.DIGITS ? (quick ? Budget.DIGITS_QUICK : Budget.DIGITS_FULL)
                : (quick ? Budget.QUICK : Budget.FULL);
        Budget budget = base.with(stepsPerMethod, "--steps-per-method", null, samples);
        if (seeds < 1) {
            throw new CliException("--seeds must be at least 1 (the number of seeds to repeat the comparison over), got " + seeds);
        }
        List<DistillMethod> chosen = MethodRegistry.select(methods == null || methods.isEmpty()
                ? DatasetRecipes.defaultMethods(data) : methods, "--methods").stream()
                .map(m -> DatasetRecipes.of(data, m)).toList();
        TeacherSource teachers = teacher.source(TeacherSource.defaultKind(data, "trained"),
                data == Dataset.GAUSSIANS25 && quick ? QUICK_TEACHER_STEPS : null);
        String commandLine = "distillery demo " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        RunConfig config = new RunConfig("demo", data, budget, chosen, teachers, quick, seed.value, seeds, RunConfig.SAMPLE_STEPS,
                commandLine, null);
        try (RunDirectory dir = run.open(config.command())) {
            new DistillRun(config, null).execute(dir, run.progress(spec.commandLine().getErr()), spec.commandLine().getOut());
        }
        return 0;
    }
}
