package dev.distillery.cli.command;


import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.run.MethodRegistry;
import dev.distillery.cli.run.SamplesCsv;
import dev.distillery.cli.run.SavedStudent;
import dev.distillery.cli.run.TeacherSamples;
import dev.distillery.cli.teacher.Predictions;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes samples as CSV: of a distilled student ({@code --student}, the {@code student/} folder of a
 * {@code distill} run) with its own few-step generator, or of a diffusion model with deterministic
 * DDIM (eta = 0): the network of {@code --checkpoint}, or without one the dataset's teacher (the bundled
 * U-Net on the digits, the analytic mixture on 25-Gaussians).
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Sample a distilled student, a checkpoint (DDIM) or the dataset's teacher (DDIM); write the samples as CSV.")
final class SampleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--student", paramLabel = "DIR",
            description = "A distilled student: the student folder of a 'distillery distill' run (runs/<name>/student).")
    Path student;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "An nn checkpoint of a denoising network (default: the teacher of --dataset: the bundled "
            + "U-Net on digits, the analytic mixture on 25gaussians).")
    Path checkpoint;

    @Option(names = "--prediction", paramLabel = "KIND",
            description = "What the checkpoint's network predicts: eps, x0 or v (default: as recorded by 'distillery train').")
    String prediction;

    @Mixin
    DatasetOption dataset;

    @Option(names = "--steps", paramLabel = "K",
            description = "DDIM steps (default 50), or the student's steps (default: its fewest, 1 for most methods).")
    Integer steps;

    @Option(names = "--count", defaultValue = "1000", description = "Number of samples (default ${DEFAULT-VALUE}).")
    int count;

    @Mixin
    SeedOption seed;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The CSV file to write.")
    Path out;

    @Override
    public Integer call() {
        if (student != null) {
            return sampleStudent();
        }
        Dataset data = dataset.parse();
        if (prediction != null) {
            Predictions.parse(prediction, "--prediction");
        }
        int steps = this.steps == null ? 50 : this.steps;
        if (steps < 1) {
            throw new CliException("--steps must be at least 1, got " + steps);
        }
        if (count < 1) {
            throw new CliException("--count must be at least 1, got " + count);
        }
        double[][] rows = TeacherSamples.ddim(data, checkpoint, prediction, steps, count, seed.value);
        SamplesCsv.write(out, rows, "--out");
        spec.commandLine().getErr().println("wrote " + count + " samples (" + steps + " DDIM steps) to " + out);
        spec.commandLine().getErr().flush();
        return 0;
    }

    /** {@code --student}: the student's generator on the noise of {@code --seed}. */
    private int sampleStudent() {
        if (checkpoint != null || prediction != null) {
            throw new CliException("--student samples a distilled student; drop --checkpoint and --prediction, which "
                    + "are for a denoising network");
        }
        if (count < 1) {
            throw new CliException("--count must be at least 1, got " + count);
        }
        if (steps != null && steps < 1) {
            throw new CliException("--steps must be at least 1, got " + steps);
        }
        SavedStudent s = SavedStudent.load(student, "--student", MethodRegistry.all());
        s.requireDataset(dataset.given());
        int k = steps == null ? s.defaultSteps() : steps;
        double[][] rows = s.sample(count, seed.value, k, "--steps");
        SamplesCsv.write(out, rows, "--out");
        spec.commandLine().getErr().println("wrote " + count + " samples of the " + s.record().method() + " student ("
                + k + " steps) to " + out);
        spec.commandLine().getErr().flush();
        return 0;
    }

}
