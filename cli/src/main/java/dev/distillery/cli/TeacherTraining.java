package dev.distillery.cli;

import dev.distillery.cli.progress.Progress;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.training.Recipes;
import dev.distillery.nn.train.TrainingLoop;
import dev.distillery.nn.Module;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Trains the teacher network of a dataset with its recipe, for {@code train} and for the demo's
 * trained teacher, and records what a checkpoint's network predicts.
 */
final class TeacherTraining implements TeacherSource {

    /** Digits: a small U-Net recipe budget (the W3 U-Net is far slower per step on two cores). */
    static final int DIGITS_STEPS = 2000;
    /** File beside an nn checkpoint naming the prediction kind and schedule of a diffusion network. */
    static final String DESCRIPTION = "diffusion.json";

    private final Integer steps;

    TeacherTraining(Integer steps) {
        this.steps = steps;
    }

    static int defaultSteps(Dataset data) {
        return data == Dataset.DIGITS ? DIGITS_STEPS : Recipes.GAUSSIANS25_STEPS;
    }

    @Override
    public Teacher obtain(Dataset dataset, long seed, Progress progress) {
        return obtain(dataset, false, seed, progress);
    }

    /** Trains the class-conditional recipe (labels with dropout, so guidance can be applied). */
    @Override
    public Teacher obtainClassConditional(Dataset dataset, long seed, Progress progress) {
        return obtain(dataset, true, seed, progress);
    }

    private Teacher obtain(Dataset dataset, boolean classConditional, long seed, Progress progress) {
        int n = steps == null ? defaultSteps(dataset) : steps;
        Recipes.Teacher t = train(dataset, classConditional, n, seed, progress);
        Module net = t.model();
        net.freeze();
        return new Teacher(t.denoiser(), net, String.format(Locale.ROOT,
                "%s%s network trained here with %s (%d steps, %.0f s, %s-prediction, continuous cosine schedule)",
                classConditional ? "class-conditional " : "", dataset == Dataset.DIGITS ? "U-Net" : "MLP",
                "diffusion.training.Recipes", n, t.seconds(), t.config().prediction().name().toLowerCase(Locale.ROOT)),
                classConditional ? dataset.classes() : 0, Teacher.NETWORK_START_TIME);
    }

    /** Runs the dataset's recipe with a progress bar; class-conditional with label dropout when asked. */
    static Recipes.Teacher train(Dataset data, boolean classConditional, int steps, long seed, Progress progress) {
        progress.start(classConditional ? "conditional teacher" : "teacher", steps);
        TrainingLoop.Progress report = (s, total, losses) -> progress.update(s, losses);
        try {
            if (data == Dataset.DIGITS) {
                return Recipes.unetTeacherDigits(16, 1, classConditional, steps, seed, report);
            }
            return classConditional ? Recipes.mlpTeacher25GaussiansConditional(steps, seed, report)
                    : Recipes.mlpTeacher25Gaussians(steps, seed, report);
        } finally {
            progress.finish();
        }
    }

    /** Writes {@link #DESCRIPTION} so loaders know the prediction kind without a flag. */
    static void writeDescription(Path checkpoint, Recipes.Teacher t) throws IOException {
        writeDescription(checkpoint, t.config().prediction());
    }

    /** Writes {@link #DESCRIPTION} for a network that predicts {@code prediction}. */
    static void writeDescription(Path checkpoint, Prediction prediction) throws IOException {
        String json = "{\"prediction\": \"" + prediction.name().toLowerCase(Locale.ROOT)
                + "\", \"schedule\": \"continuous-cosine\", \"time\": \"continuous t in [0, 1]\"}\n";
        Files.writeString(checkpoint.resolve(DESCRIPTION), json);
    }

    /** The prediction kind recorded beside a checkpoint, if any. */
    static Prediction recordedPrediction(Path checkpoint) {
        Path f = checkpoint.resolve(DESCRIPTION);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            Object tree = dev.distillery.nn.checkpoint.Json.parse(Files.readString(f));
            if (tree instanceof Map<?, ?> m && m.get("prediction") instanceof String p) {
                return Predictions.parse(p, DESCRIPTION);
            }
        } catch (IOException | RuntimeException e) {
            throw new CliException("cannot read " + f + ": " + e.getMessage() + "; delete it and pass --teacher-prediction");
        }
        return null;
    }
}
