package dev.distillery.cli;

import dev.distillery.autograd.random.Rng;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.progress.Progress;
import dev.distillery.cli.teacher.AnalyticTeacher;
import dev.distillery.cli.teacher.BundledTeacher;
import dev.distillery.cli.teacher.CheckpointTeacher;
import dev.distillery.cli.teacher.Teacher;
import dev.distillery.cli.teacher.TeacherSource;
import dev.distillery.cli.teacher.TeacherTraining;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.training.Recipes;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.checkpoint.TrainingState;
import dev.distillery.nn.models.ConditionalModel;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A run's teacher in a form that travels between machines: the analytic teacher by name, a network
 * as the bytes of its checkpoint folder. A sweep's driver obtains the teacher once (training it, or
 * reading {@code --teacher-checkpoint}) and ships this object to every task, which loads the network
 * from the bytes instead of training it again. Every task loads the same bytes, so every cell sees
 * the same teacher bit for bit, on whatever machine it runs.
 */
public final class ShippedTeacher implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String dataset;
    private final String description;
    /** The teacher bundled in the jar ({@link BundledTeacher}): every task loads its own jar's copy. */
    private final boolean bundled;
    /** Null for the analytic and the bundled teacher, else the network's prediction kind. */
    private final String prediction;
    /** File name to content of the network's checkpoint folder; empty for the analytic teacher. */
    private final Map<String, byte[]> checkpoint;
    /** The class-conditional teacher for guided methods when this one has no classes, else null. */
    private final ShippedTeacher classConditional;
    /** Loaded on first use in each JVM: loading is cheap, but not free for every cell. */
    private transient Teacher loaded;

    private ShippedTeacher(String dataset, String description, boolean bundled, String prediction,
                           Map<String, byte[]> checkpoint, ShippedTeacher classConditional) {
        this.dataset = dataset;
        this.description = description;
        this.bundled = bundled;
        this.prediction = prediction;
        this.checkpoint = checkpoint;
        this.classConditional = classConditional;
    }

    /**
     * The teacher the demo's flags would give, obtained here, once: {@code checkpoint} when given
     * (its prediction kind from {@code prediction} or as recorded), else {@code kind} "analytic",
     * "bundled" or "trained" ({@code trainingSteps} of the dataset's recipe, null: the recipe's budget). With
     * {@code classConditionalToo} and an unconditional trained teacher, the class-conditional recipe
     * is trained as well, for the methods that need labels.
     */
    public static ShippedTeacher obtain(String dataset, String kind, Integer trainingSteps, Path checkpoint,
                                        String prediction, long seed, boolean classConditionalToo, Progress progress) {
        Dataset data = Dataset.parse(dataset);
        TeacherSource source = TeacherSource.choose(kind, trainingSteps, checkpoint, prediction);
        if (source instanceof CheckpointTeacher c) {
            Teacher t = c.obtain(data, seed, progress);
            return new ShippedTeacher(data.key(), t.description(), false, c.prediction().name(), readFolder(c.dir()), null);
        }
        if (source == TeacherSource.ANALYTIC) {
            return new ShippedTeacher(data.key(), AnalyticTeacher.of(data).description(), false, null, Map.of(), null);
        }
        if (source == BundledTeacher.INSTANCE) {
            // every task's jar holds the same hash-checked weights: ship the name, not the bytes
            return new ShippedTeacher(data.key(), source.obtain(data, seed, progress).description(), true, null, Map.of(),
                    null);
        }
        int steps = trainingSteps == null ? TeacherTraining.defaultSteps(data) : trainingSteps;
        ShippedTeacher conditional = classConditionalToo ? trained(data, true, steps, seed, progress, null) : null;
        return trained(data, false, steps, seed, progress, conditional);
    }

    private static ShippedTeacher trained(Dataset data, boolean classConditional, int steps, long seed, Progress progress,
                                          ShippedTeacher conditional) {
        Recipes.Teacher t = TeacherTraining.train(data, classConditional, steps, seed, progress);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("distillery-teacher");
            Path folder = dir.resolve("teacher");
            Checkpoint.save(folder, ((ConditionalModel) t.model()).config(), t.model(), null, null,
                    new TrainingState(steps, new Rng(seed).state()),
                    Map.of(TeacherTraining.DESCRIPTION, TeacherTraining.description(t.config().prediction())));
            String description = String.format(Locale.ROOT, "%s%s network trained on the driver with its recipe (%d steps, "
                            + "%.0f s, %s-prediction), shipped to every task", classConditional ? "class-conditional " : "",
                    data == Dataset.DIGITS ? "U-Net" : "MLP", steps, t.seconds(),
                    t.config().prediction().name().toLowerCase(Locale.ROOT));
            return new ShippedTeacher(data.key(), description, false, t.config().prediction().name(), readFolder(folder),
                    conditional);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trained teacher's checkpoint", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** The dataset's command-line name. */
    public String dataset() {
        return dataset;
    }

    /** One line for reports. */
    public String description() {
        return description;
    }

    /** Bytes this object ships (the checkpoints' files). */
    public long bytes() {
        long n = checkpoint.values().stream().mapToLong(b -> b.length).sum();
        return n + (classConditional == null ? 0 : classConditional.bytes());
    }

    /** The teacher, loaded on first use in this JVM. */
    synchronized Teacher teacher() {
        if (loaded == null) {
            loaded = load();
        }
        return loaded;
    }

    /** The class-conditional teacher for guided methods: this one when it has classes, else the shipped one. */
    Teacher classConditionalTeacher() {
        Teacher t = teacher();
        if (t.classes() > 0 || classConditional == null) {
            return t;
        }
        return classConditional.teacher();
    }

    private Teacher load() {
        Dataset data = Dataset.parse(dataset);
        if (bundled) {
            return BundledTeacher.INSTANCE.obtain(data, 0, Progress.NONE);
        }
        if (prediction == null) {
            return AnalyticTeacher.of(data);
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("distillery-teacher");
            for (Map.Entry<String, byte[]> f : checkpoint.entrySet()) {
                Files.write(dir.resolve(f.getKey()), f.getValue());
            }
            Teacher t = new CheckpointTeacher(dir, Prediction.valueOf(prediction)).obtain(data, 0, Progress.NONE);
            return new Teacher(t.denoiser(), t.network(), description, t.classes(), t.startTime());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the shipped teacher", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * The files of a checkpoint: those of its newest generation (or of the folder itself, the
     * earlier flat layout), which the tasks write back as a flat checkpoint folder.
     */
    private static Map<String, byte[]> readFolder(Path checkpoint) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(Checkpoint.files(checkpoint))) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        } catch (IOException e) {
            throw new CliException("cannot read teacher checkpoint " + checkpoint + ": " + e.getMessage());
        }
        return files;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
