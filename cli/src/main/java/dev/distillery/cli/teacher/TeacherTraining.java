package dev.distillery.cli.teacher;


import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.progress.Progress;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.training.Recipes;
import dev.distillery.nn.Module;
import dev.distillery.nn.checkpoint.Checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Trains the teacher network of a dataset with its recipe, for {@code train} and for the demo's
 * trained teacher, and records what a checkpoint's network predicts.
 */
public final class TeacherTraining implements TeacherSource {

    /** Digits: the W3 U-Net's budget, about 19 minutes on two cores (the bundled teacher, {@link BundledTeacher}). */
    public static final int DIGITS_STEPS = 5000;
    /** File beside an nn checkpoint naming the prediction kind and schedule of a diffusion network. */
    public static final String DESCRIPTION = "diffusion.json";

    private final Integer steps;

    TeacherTraining(Integer steps) {
        this.steps = steps;
    }

    public static int defaultSteps(Dataset data) {
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
    public static Recipes.Teacher train(Dataset data, boolean classConditional, int steps, long seed, Progress progress) {
        progress.start(label(classConditional), steps);
        try {
            return Recipes.train(Architectures.teacher(data, classConditional, steps, seed),
                    (s, total, losses) -> progress.update(s, losses));
        } finally {
            progress.finish();
        }
    }

    /** The progress label of a teacher's training. */
    public static String label(boolean classConditional) {
        return classConditional ? "conditional teacher" : "teacher";
    }

    /** The {@link #DESCRIPTION} file, saved with a checkpoint so loaders know the prediction kind without a flag. */
    public static byte[] description(Prediction prediction) {
        String json = "{\"prediction\": \"" + prediction.name().toLowerCase(Locale.ROOT)
                + "\", \"schedule\": \"continuous-cosine\", \"time\": \"continuous t in [0, 1]\"}\n";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** The prediction kind recorded with a checkpoint, if any. */
    public static Prediction recordedPrediction(Path checkpoint) {
        Path f;
        try {
            f = Checkpoint.file(checkpoint, DESCRIPTION);
        } catch (IOException e) {
            return null;
        }
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return prediction(dev.distillery.autograd.io.Json.read(f), DESCRIPTION);
        } catch (IOException | RuntimeException e) {
            throw new CliException("cannot read " + f + ": " + CliException.describe(e) + "; delete it and pass --teacher-prediction");
        }
    }

    /** The prediction kind a parsed {@link #DESCRIPTION} document records, or null; {@code source} names it in errors. */
    static Prediction prediction(Object document, String source) {
        if (document instanceof Map<?, ?> m && m.get("prediction") instanceof String p) {
            return Predictions.parse(p, source);
        }
        return null;
    }
}
