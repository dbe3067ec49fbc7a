package dev.distillery.cli.run;

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
import dev.distillery.nn.checkpoint.GenerationFolder;
import dev.distillery.nn.train.NonFiniteLossException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code train} does: trains a dataset's teacher with its recipe ({@link Recipes}: Algorithm 1
 * of Ho et al. 2020 with v-prediction on the continuous cosine schedule) into an nn checkpoint,
 * saved every {@code every} steps and at the end with {@link TeacherTraining#DESCRIPTION} (what the
 * network predicts) and {@link TrainingRecord#FILE} (the flags a resume must repeat). A checkpoint
 * holds the live network, optimizer, EMA and generator state, so a run killed at any point and
 * resumed ends bit for bit where an uninterrupted run ends.
 *
 * @param data             the dataset (and so the recipe)
 * @param steps            the run's total training steps
 * @param seed             the seed of initialisation and training
 * @param checkpoint       the checkpoint folder
 * @param every            save every this many steps, and after the last
 * @param classConditional condition on the labels, with label dropout
 * @param resume           continue the checkpoint's training ({@code --resume})
 * @param force            train from step 0 and replace the checkpoint ({@code --force})
 */
public record TrainRun(Dataset data, int steps, long seed, Path checkpoint, int every, boolean classConditional,
                       boolean resume, boolean force) {

    /**
     * Decides what the flags may do with the folder and holds it (both before any training), trains
     * with progress from {@code progressFactory}, and prints the outcome on {@code out}.
     */
    public void execute(ProgressFactory progressFactory, PrintWriter out) {
        CheckpointTarget.Action action = CheckpointTarget.decide(checkpoint, force, resume);
        TrainingRecord record = new TrainingRecord(data.key(), classConditional, steps, seed);
        if (action == CheckpointTarget.Action.RESUME) {
            CheckpointTarget.requireSameRun(checkpoint, CheckpointTarget.Kind.TEACHER, TrainingRecord.FILE,
                    TrainingRecord::read, record);
        }
        GenerationFolder.Hold lock = CheckpointTarget.hold(checkpoint, CheckpointTarget.Kind.TEACHER);
        try {
            train(action, record, progressFactory, out);
        } finally {
            lock.close();
        }
    }

    /** The training itself, once the folder is held. */
    private void train(CheckpointTarget.Action action, TrainingRecord record, ProgressFactory progressFactory,
                       PrintWriter out) {
        Recipes.Plan plan = Architectures.teacher(data, classConditional, steps, seed);
        DiffusionTrainer trainer = plan.trainer();
        Rng rng = new Rng(seed);
        long start = action == CheckpointTarget.Action.RESUME ? restore(trainer, rng) : 0;
        Map<String, byte[]> extras = Map.of(TeacherTraining.DESCRIPTION,
                TeacherTraining.description(plan.config().prediction()), TrainingRecord.FILE, record.toJson());

        Progress progress = progressFactory.create();
        progress.start(TeacherTraining.label(classConditional), steps);
        long t0 = System.nanoTime();
        Map<String, Double> last;
        try {
            progress.update(start);
            last = trainer.train(plan.data(), rng, (s, total, losses) -> progress.update(s, losses), start, every,
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
        if (start == steps) {
            out.printf(Locale.ROOT, "checkpoint %s has all %d steps already; nothing to train%n", checkpoint, steps);
        } else {
            out.printf(Locale.ROOT, "trained %s teacher: %d steps%s in %.1f s, final loss %.5f%ncheckpoint: %s%n",
                    data.key(), steps, start > 0 ? " (resumed after " + start + ")" : "", seconds,
                    last.getOrDefault("loss", Double.NaN), checkpoint);
        }
        out.flush();
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
}
