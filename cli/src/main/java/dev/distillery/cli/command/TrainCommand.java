package dev.distillery.cli.command;

import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.progress.ProgressFactory;
import dev.distillery.cli.run.TrainRun;
import dev.distillery.cli.store.CheckpointTarget;
import dev.distillery.cli.teacher.TeacherTraining;
import dev.distillery.diffusion.training.Recipes;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train}: the flags of a {@link TrainRun}, which trains a dataset's teacher with its recipe
 * into a resumable nn checkpoint folder, loadable with {@code --teacher-checkpoint}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a teacher diffusion model on a dataset and write a checkpoint folder.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DatasetOption dataset;

    @Option(names = "--steps", paramLabel = "N",
            description = "Training steps (default: the recipe's, " + Recipes.GAUSSIANS25_STEPS + " for 25gaussians, "
                    + TeacherTraining.DIGITS_STEPS + " for digits).")
    Integer steps;

    @Mixin
    SeedOption seed;

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "The checkpoint folder to write.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "" + CheckpointTarget.DEFAULT_EVERY,
            description = "Save the checkpoint every N steps and at the end (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--class-conditional", description = "Condition on the labels (with label dropout, so "
            + "classifier-free guidance and guided distillation can use it).")
    boolean classConditional;

    @Option(names = "--resume", description = "Continue the training of the --checkpoint folder from its last save "
            + "(with the flags it was started with); without a checkpoint there, start one.")
    boolean resume;

    @Option(names = "--force", description = "Train from step 0 and replace the checkpoint in the --checkpoint folder "
            + "(only a checkpoint folder is ever replaced).")
    boolean force;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        Dataset data = dataset.parse();
        int n = steps == null ? TeacherTraining.defaultSteps(data) : steps;
        if (n < 1) {
            throw new CliException("--steps must be at least 1, got " + n);
        }
        if (checkpointEvery < 1) {
            throw new CliException("--checkpoint-every must be at least 1, got " + checkpointEvery);
        }
        new TrainRun(data, n, seed.value, checkpoint, checkpointEvery, classConditional, resume, force)
                .execute(ProgressFactory.forCommand(quiet, spec.commandLine().getErr()), spec.commandLine().getOut());
        return 0;
    }
}
