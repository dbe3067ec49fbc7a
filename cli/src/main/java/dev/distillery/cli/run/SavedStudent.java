package dev.distillery.cli.run;


import dev.distillery.autograd.Tensor;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.data.Rows;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.store.StudentFolder;
import dev.distillery.cli.store.StudentRecord;
import dev.distillery.cli.teacher.Teacher;
import dev.distillery.distill.DistillMethod;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.distill.StudentState;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A student folder ({@link StudentFolder}) brought back to life for {@code sample} and
 * {@code eval}: the teacher and {@link DistillSetup} of the run are rebuilt as {@code distill}
 * built them, the method creates a fresh distiller, and the stored state is restored into it, so
 * {@link #sample} draws exactly what the run's generator drew from the same noise and key.
 */
public record SavedStudent(Path dir, StudentRecord record, Dataset dataset, Generator generator) {

    /** Step counts searched for the ones a generator supports (for messages and the default). */
    private static final int MAX_LISTED_STEPS = 64;

    /**
     * Reads {@code dir} (given with {@code flag}), whose method must be one of {@code methods} (the
     * build's registry); every failure is a one-line {@link CliException}.
     */
    public static SavedStudent load(Path dir, String flag, List<DistillMethod> methods) {
        StudentRecord rec = StudentFolder.readRecord(dir, flag);
        Path json = dir.resolve(StudentRecord.FILE);
        DistillMethod registered = methods.stream().filter(m -> m.name().equals(rec.method())).findFirst()
                .orElseThrow(() -> new CliException(json + " names the method '" + rec.method() + "', which this build "
                        + "does not have (it has " + String.join(", ", methods.stream().map(DistillMethod::name).toList()) + "); use the distillery "
                        + "that wrote it, or distil the student again"));
        DistillMethod method;
        try {
            method = registered.withSettings(rec.settings());
        } catch (IllegalArgumentException e) {
            throw new CliException(json + ": " + e.getMessage() + "; use the distillery that wrote it, or distil the student again");
        }
        Dataset data;
        try {
            data = Dataset.parse(rec.dataset());
        } catch (CliException e) {
            throw new CliException(json + ": " + e.getMessage() + "; distil the student again");
        }
        Teacher teacher = StudentFolder.readTeacher(dir, rec, data, flag);
        StudentState state = StudentFolder.readState(dir, rec, flag);
        Distiller distiller;
        try {
            DistillSetup setup = StudentSetup.of(data, teacher, method, rec.narrow(), rec.batch(), rec.seed());
            distiller = method.create(setup, rec.steps());
        } catch (RuntimeException e) {
            throw new CliException("cannot rebuild the " + rec.method() + " distiller of " + dir + ": "
                    + CliException.describe(e) + "; the folder may be from another version: distil the student again");
        }
        try {
            distiller.restore(state);
        } catch (RuntimeException e) {
            throw new CliException("the weights in " + dir + " do not fit the " + rec.method() + " student of "
                    + StudentRecord.FILE + ": " + CliException.describe(e) + "; the files were changed or mixed from "
                    + "different runs: distil the student again");
        }
        return new SavedStudent(dir, rec, data, distiller.generator());
    }

    /** The step counts in 1..64 the generator samples with. */
    List<Integer> supportedSteps() {
        List<Integer> out = new ArrayList<>();
        for (int k = 1; k <= MAX_LISTED_STEPS; k++) {
            if (generator.supports(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /** The fewest steps the generator samples with (1 for every method but a denoising diffusion GAN). */
    public int defaultSteps() {
        List<Integer> s = supportedSteps();
        return s.isEmpty() ? 1 : s.get(0);
    }

    /**
     * {@code count} samples with {@code steps} steps from the noise of seed {@code seed}, with the
     * key a run of that seed gives its multistep samplers ({@link Evaluation#key}): with the run's
     * {@code --seed} and {@code --samples}, these are the rows of its {@code samples/<method>-<steps>.csv}.
     */
    public double[][] sample(int count, long seed, int steps, String stepsFlag) {
        if (!generator.supports(steps)) {
            List<Integer> s = supportedSteps();
            throw new CliException("the " + record.method() + " student does not sample with " + steps + " steps; it "
                    + "samples with " + (s.isEmpty() ? "no step count up to " + MAX_LISTED_STEPS
                    : s.size() == MAX_LISTED_STEPS ? "any number of steps" : s.stream().map(String::valueOf)
                    .collect(Collectors.joining(", "))) + ": pass " + stepsFlag + " " + defaultSteps());
        }
        double[][] rows;
        try {
            Tensor x = generator.sample(dataset.noise(count, seed), steps, Evaluation.keyFor(seed).fold(steps));
            rows = Rows.of(x);
        } catch (RuntimeException e) {
            throw new CliException("sampling the " + record.method() + " student of " + dir + " with " + steps
                    + " steps failed: " + CliException.describe(e) + "; try another " + stepsFlag);
        }
        String nonFinite = NonFinite.inSamples(rows);
        if (nonFinite != null) {
            throw new CliException("the " + record.method() + " student of " + dir + " gave " + nonFinite + " with "
                    + steps + " steps; its weights are not finite: distil the student again");
        }
        return rows;
    }

    /**
     * Refuses a {@code --dataset} that is not the student's: {@code given} is the flag's value when it
     * was given on the command line, else null (a default is no contradiction).
     */
    public void requireDataset(String given) {
        if (given != null && Dataset.parse(given) != dataset) {
            throw new CliException("--dataset " + given + " is not the dataset of the student " + dir + " ("
                    + dataset.key() + "); drop --dataset");
        }
    }
}
