package dev.distillery.sweep;

import dev.distillery.cli.GridCell;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.progress.Progress;
import dev.distillery.cli.progress.ProgressFactory;
import dev.distillery.cli.teacher.TeacherSource;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distillery sweep}: a grid of methods (x their settings) x seeds x budgets x batch sizes, each cell a full
 * distil-sample-evaluate run, as one Spark job. The grid comes from flags or from a spec file
 * ({@code --config sweep.json}, whose keys are these flags' names). See docs/SWEEPS.md.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a grid of methods x seeds x budgets as one Spark job (embedded, or on a cluster) and report "
                + "quality against budget with the spread over seeds.")
final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "25gaussians", paramLabel = "NAME",
            description = "25gaussians or digits (default ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--methods", split = ",", paramLabel = "NAME", description = "Methods, comma-separated (default: all registered).")
    List<String> methods;

    @Option(names = {"--settings", "--setting"}, paramLabel = "METHOD.KEY=V1,V2",
            description = "Values of a method's setting to try, each its own cell (repeatable): --settings cd.mu=0.95,0.99 "
                    + "--settings guided.w=1,3; several keys of one method combine (default: each method's recipe).")
    List<String> settings;

    @Option(names = "--seeds", split = ",", defaultValue = "0,1,2", paramLabel = "SEED",
            description = "Seeds, comma-separated (default ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--budgets", split = ",", defaultValue = "0.25x,0.5x,1x", paramLabel = "B",
            description = "Training budgets: steps (300) or shares of each method's recipe budget (0.5x) (default ${DEFAULT-VALUE}).")
    List<String> budgets;

    @Option(names = "--batches", split = ",", defaultValue = "128", paramLabel = "N",
            description = "Training batch sizes to try (default ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--samples", defaultValue = "2000", paramLabel = "N", description = "Evaluation samples per cell (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--teacher", paramLabel = "KIND",
            description = "trained (on the driver, once, then shipped to the tasks), bundled (digits: the U-Net in the jar) "
                    + "or analytic (default: bundled on digits, else trained).")
    String teacher;

    @Option(names = "--teacher-steps", paramLabel = "N", description = "Training steps of a trained teacher (default: the recipe's).")
    Integer teacherSteps;

    @Option(names = "--teacher-checkpoint", paramLabel = "DIR", description = "Use this teacher checkpoint (from 'distillery train').")
    Path teacherCheckpoint;

    @Option(names = "--teacher-prediction", paramLabel = "KIND", description = "What the checkpoint predicts: eps, x0 or v (default: as recorded).")
    String teacherPrediction;

    @Option(names = "--teacher-seed", defaultValue = "0", description = "Seed of the teacher's training (default ${DEFAULT-VALUE}).")
    long teacherSeed;

    @Option(names = "--master", defaultValue = "local[*]", paramLabel = "URL",
            description = "Spark master: local[*] (embedded, every core), local[N], or spark://host:port (default ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting, e.g. spark.executor.memory=2g (repeatable).")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--out", defaultValue = "runs/sweep", paramLabel = "DIR",
            description = "The sweep folder; a re-run of the same grid into it skips the cells already done (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    @Override
    public Integer call() {
        List<String> chosen = methods == null || methods.isEmpty() ? GridCell.methodNames() : methods.stream().map(String::trim).toList();
        chosen.forEach(GridCell::recipeSteps); // an unknown name fails here, with the valid names
        Grid grid = new Grid(dataset.trim().toLowerCase(Locale.ROOT), chosen, Grid.parseSettings(settings), seeds,
                budgets.stream().map(Budget::new).toList(), batches, samples);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter log = quiet ? new PrintWriter(PrintWriter.nullWriter()) : err;
        Progress progress = new ProgressFactory(ProgressFactory.mode(quiet, System.console() != null), err).create();
        String commandLine = "distillery sweep " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        String kind = teacher != null ? teacher : TeacherSource.defaultKind(Dataset.parse(grid.dataset()), "trained");
        Sweep.Outcome o = Sweep.run(grid, new TeacherChoice(kind, teacherSteps, teacherCheckpoint, teacherPrediction, teacherSeed),
                new Sweep.Options(master, conf, out, commandLine), progress, log);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(SweepReport.best(grid.dataset(), Settings.of(o.results())).toText());
        stdout.printf(Locale.ROOT, "%d cells run (%d resumed) in %.1f s wall; one after another: %.1f s%n", o.ran(), o.skipped(),
                o.wallSeconds(), o.serialSeconds());
        stdout.println("results: " + out.resolve(SweepTables.PARQUET) + ", " + out.resolve(SweepTables.CSV));
        stdout.println("report: " + out.resolve(SweepReport.FILE));
        stdout.flush();
        return 0;
    }
}
