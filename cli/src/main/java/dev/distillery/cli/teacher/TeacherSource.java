package dev.distillery.cli.teacher;

import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.progress.Progress;

/**
 * Where a run's teacher comes from. {@link #ANALYTIC} is the exact denoiser of the dataset's
 * Gaussian mixture (for digits, of the training images blurred into a mixture); a trained teacher
 * comes from a checkpoint ({@link CheckpointTeacher}), from training here ({@link TeacherTraining}) or,
 * for the digits, from the jar ({@link BundledTeacher}).
 */
public interface TeacherSource {

    /** The teacher for {@code dataset}; long work reports on {@code progress}. */
    Teacher obtain(Dataset dataset, long seed, Progress progress);

    /**
     * A class-conditional teacher of the same kind, for the methods that need labels and
     * classifier-free guidance (guided distillation). By default: this source's teacher when it
     * has classes, else a one-line error naming the fix.
     */
    default Teacher obtainClassConditional(Dataset dataset, long seed, Progress progress) {
        Teacher t = obtain(dataset, seed, progress);
        if (t.classes() < 1) {
            throw new CliException("guided distillation needs a class-conditional teacher, and " + t.description()
                    + " has no classes; pass --teacher-checkpoint of one trained with 'distillery train "
                    + "--class-conditional', or use --teacher trained or analytic");
        }
        return t;
    }

    /**
     * {@code --teacher} when it is not given: the network bundled in the jar on the digits (where
     * training one takes twenty minutes and the analytic mixture memorises), else {@code elsewhere}.
     */
    static String defaultKind(Dataset dataset, String elsewhere) {
        return dataset == Dataset.DIGITS ? "bundled" : elsewhere;
    }

    /** The analytic teacher: exact, free, and the fairest yardstick for the students. */
    TeacherSource ANALYTIC = (dataset, seed, progress) -> AnalyticTeacher.of(dataset);

    /**
     * The teacher the flags ask for: a checkpoint when {@code --teacher-checkpoint} is given
     * (its prediction kind from {@code --teacher-prediction} or the one 'distillery train'
     * recorded), else {@code --teacher analytic|trained|bundled}.
     */
    static TeacherSource choose(String kind, Integer trainingSteps, java.nio.file.Path checkpoint, String prediction) {
        if (checkpoint != null) {
            if (!java.nio.file.Files.isDirectory(checkpoint)) {
                throw new CliException("--teacher-checkpoint " + checkpoint + " is not a folder; pass a folder written by "
                        + "'distillery train'");
            }
            dev.distillery.diffusion.denoise.Prediction p = prediction != null
                    ? Predictions.parse(prediction, "--teacher-prediction") : TeacherTraining.recordedPrediction(checkpoint);
            if (p == null) {
                throw new CliException("--teacher-checkpoint " + checkpoint + " does not record what its network predicts; "
                        + "pass --teacher-prediction eps|x0|v");
            }
            return new CheckpointTeacher(checkpoint, p);
        }
        if (trainingSteps != null && trainingSteps < 1) {
            throw new CliException("--teacher-steps must be at least 1, got " + trainingSteps);
        }
        return switch (kind.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "analytic" -> ANALYTIC;
            case "trained" -> new TeacherTraining(trainingSteps);
            case "bundled" -> BundledTeacher.INSTANCE;
            default -> throw new CliException("unknown --teacher '" + kind + "'; choose analytic, trained or bundled");
        };
    }
}
