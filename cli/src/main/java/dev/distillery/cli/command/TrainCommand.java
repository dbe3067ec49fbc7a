package dev.distillery.cli.command;


import dev.distillery.autograd.random.Rng;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.progress.Progress;
import dev.distillery.cli.progress.ProgressFactory;
import dev.distillery.cli.store.CheckpointTarget;
import dev.distillery.cli.store.TrainingRecord;
import dev.distillery.cli.teacher.Architectures;
import dev.distillery.cli.teacher.TeacherTraining;
import dev.distillery.diffusion.training.DiffusionTrainer;
import dev.distillery.diffusion.training.Recipes;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.checkpoint.GenerationFolder;
import dev.distillery.nn.train.NonFiniteLossException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains a dataset's teacher with its recipe ({@link Recipes}: Algorithm 1 of Ho et al. 2020 with
 * v-prediction on the continuous cosine schedule) and writes an nn checkpoint every
 * {@code --checkpoint-every} steps and at the end, with {@code diffusion.json} saying what the
 * network predicts (so that {@code demo}, {@code distill} and {@code sample} can load it with
 * {@code --teacher-checkpoint}) and {@link TrainingRecord#FILE} (so that {@code --resume} can
 * continue it). A checkpoint holds the live network, optimizer, EMA and generator state; a run
 * killed at any point and resumed ends bit for bit where an uninterrupted run ends.
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
        CheckpointTarget.Action action = CheckpointTarget.decide(checkpoint, force, resume);
        TrainingRecord record = new TrainingRecord(data.key(), classConditional, n, seed.value);
        if (action == CheckpointTarget.Action.RESUME) {
            requireSameRun(record);
        }
        GenerationFolder.Hold lock = prepareFolder();
        try {
            return train(data, n, action, record);
        } finally {
            lock.close();
        }
    }

    /** The training itself, once the folder is held. */
    private int train(Dataset data, int n, CheckpointTarget.Action action, TrainingRecord record) {
        Recipes.Plan plan = Architectures.teacher(data, classConditional, n, seed.value);
        DiffusionTrainer trainer = plan.trainer();
        Rng rng = new Rng(seed.value);
        long start = action == CheckpointTarget.Action.RESUME ? restore(trainer, rng) : 0;
        Map<String, byte[]> extras = Map.of(TeacherTraining.DESCRIPTION,
                TeacherTraining.description(plan.config().prediction()), TrainingRecord.FILE, record.toJson());

        Progress progress = progress();
        progress.start(TeacherTraining.label(classConditional), n);
        long t0 = System.nanoTime();
        Map<String, Double> last;
        try {
            progress.update(start);
            last = trainer.train(plan.data(), rng, (s, total, losses) -> progress.update(s, losses), start, checkpointEvery,
                    done -> trainer.save(checkpoint, done, rng, extras));
        } catch (NonFiniteLossException e) {
            throw new CliException("train: " + e.getMessage() + "; the last checkpoint in " + checkpoint
                    + " is from before it");
        } catch (UncheckedIOException e) {
            throw new CliException("cannot write checkpoint " + checkpoint + ": " + CliException.describe(e.getCause())
                    + "; check the free space and permissions there, or choose another --checkpoint");
        } finally {
            progress.finish();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        var out = spec.commandLine().getOut();
        if (start == n) {
            out.printf(Locale.ROOT, "checkpoint %s has all %d steps already; nothing to train%n", checkpoint, n);
        } else {
            out.printf(Locale.ROOT, "trained %s teacher: %d steps%s in %.1f s, final loss %.5f%ncheckpoint: %s%n",
                    data.key(), n, start > 0 ? " (resumed after " + start + ")" : "", seconds,
                    last.getOrDefault("loss", Double.NaN), checkpoint);
        }
        out.flush();
        return 0;
    }

    /** Refuses {@code --resume} with flags other than the checkpoint's, listing the ones to use. */
    private void requireSameRun(TrainingRecord wanted) {
        TrainingRecord stored;
        try {
            stored = TrainingRecord.read(Checkpoint.file(checkpoint, TrainingRecord.FILE));
        } catch (NoSuchFileException e) {
            throw new CliException("checkpoint " + checkpoint + " has no " + TrainingRecord.FILE + " (it was not written "
                    + "by this version of 'distillery train'), so it cannot be resumed: pass --force to train it again");
        } catch (IOException | RuntimeException e) {
            throw new CliException("cannot read " + TrainingRecord.FILE + " of checkpoint " + checkpoint + ": "
                    + CliException.describe(e) + "; pass --force to train it again");
        }
        List<String> differences = stored.differences(wanted);
        if (!differences.isEmpty()) {
            throw new CliException("checkpoint " + checkpoint + " was trained with " + String.join(", ", differences)
                    + "; resume it with the same flags, or pass --force to train it again with these");
        }
    }

    /**
     * Creates the folder, takes its lock for the whole run (a second {@code train} or
     * {@code distill} on it is refused in one line) and clears what killed runs left in it, before
     * any training, so that an unwritable or busy place fails now rather than after the first
     * {@code --checkpoint-every} steps.
     */
    private GenerationFolder.Hold prepareFolder() {
        GenerationFolder.Hold lock = CheckpointTarget.lock(checkpoint);
        try {
            Checkpoint.removeLeftovers(checkpoint);
            if (!Files.isWritable(checkpoint)) {
                throw new IOException("not writable");
            }
        } catch (IOException e) {
            lock.close();
            throw new CliException("cannot write checkpoint " + checkpoint + ": " + CliException.describe(e)
                    + "; choose a writable --checkpoint folder");
        }
        return lock;
    }

    /** Loads the checkpoint into the trainer and generator; returns the steps it has. */
    private long restore(DiffusionTrainer trainer, Rng rng) {
        try {
            return trainer.resume(checkpoint, rng);
        } catch (IOException | RuntimeException e) {
            throw new CliException("cannot resume from checkpoint " + checkpoint + ": " + CliException.describe(e)
                    + "; pass --force to train it again");
        }
    }

    private Progress progress() {
        boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        return new ProgressFactory(ProgressFactory.mode(quiet, terminal), spec.commandLine().getErr()).create();
    }
}
