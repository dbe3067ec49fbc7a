package dev.distillery.cli;

import dev.distillery.autograd.random.Rng;
import dev.distillery.cli.progress.Progress;
import dev.distillery.diffusion.training.Recipes;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.checkpoint.TrainingState;
import dev.distillery.nn.models.ConditionalModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains a dataset's teacher with its recipe ({@link Recipes}: Algorithm 1 of Ho et al. 2020 with
 * v-prediction on the continuous cosine schedule) and writes an nn checkpoint, plus
 * {@code diffusion.json} saying what the network predicts, so that {@code demo},
 * {@code distill} and {@code sample} can load it with {@code --teacher-checkpoint}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a teacher diffusion model on a dataset and write a checkpoint folder.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "25gaussians", paramLabel = "NAME",
            description = "25gaussians or digits (default ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--steps", paramLabel = "N",
            description = "Training steps (default: the recipe's, " + Recipes.GAUSSIANS25_STEPS + " for 25gaussians, "
                    + TeacherTraining.DIGITS_STEPS + " for digits).")
    Integer steps;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "The checkpoint folder to write.")
    Path checkpoint;

    @Option(names = "--class-conditional", description = "Condition on the labels (with label dropout, so "
            + "classifier-free guidance and guided distillation can use it).")
    boolean classConditional;

    @Option(names = "--force", description = "Replace an existing checkpoint folder.")
    boolean force;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        Dataset data = Dataset.parse(dataset);
        int n = steps == null ? TeacherTraining.defaultSteps(data) : steps;
        if (n < 1) {
            throw new CliException("--steps must be at least 1, got " + n);
        }
        if (Files.exists(checkpoint) && !force) {
            throw new CliException("checkpoint folder " + checkpoint + " exists; pass --force to replace it or choose "
                    + "another --checkpoint");
        }
        boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        Progress progress = new dev.distillery.cli.progress.ProgressFactory(
                dev.distillery.cli.progress.ProgressFactory.mode(quiet, terminal), spec.commandLine().getErr()).create();
        Recipes.Teacher t = TeacherTraining.train(data, classConditional, n, seed, progress);
        try {
            Checkpoint.save(checkpoint, ((ConditionalModel) t.model()).config(), t.model(), null, null,
                    new TrainingState(n, new Rng(seed).state()));
            TeacherTraining.writeDescription(checkpoint, t);
        } catch (IOException e) {
            throw new CliException("cannot write checkpoint " + checkpoint + ": " + e.getMessage()
                    + "; choose a writable --checkpoint folder");
        }
        double last = t.losses().length == 0 ? Double.NaN : t.losses()[t.losses().length - 1];
        spec.commandLine().getOut().printf(Locale.ROOT, "trained %s teacher: %d steps in %.1f s, final loss %.5f%n"
                + "checkpoint: %s%n", data.key(), n, t.seconds(), last, checkpoint);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
