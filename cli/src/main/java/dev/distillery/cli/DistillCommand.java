package dev.distillery.cli;

import dev.distillery.distill.DistillMethod;

import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * One method of the demo, with its budget in the user's hands: distils the teacher (analytic, or
 * a network from {@code --teacher-checkpoint}) with {@code --method}, samples the student at the
 * {@code --sample-steps}, and writes the same report folder as {@code demo}, plus the trained student
 * in {@code student/} ({@link StudentFolder}), which {@code sample --student} and {@code eval --student} read.
 */
@Command(name = "distill", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Distil the teacher with one method, sample, measure, and write a report folder.")
final class DistillCommand implements Callable<Integer> {
    /** The run's subfolder that receives the trained student. */
    static final String STUDENT_FOLDER = "student";

    @Spec
    CommandSpec spec;

    @Option(names = "--method", required = true, paramLabel = "NAME", description = "The method (see 'distillery distill --list').")
    String method;

    @Option(names = "--dataset", defaultValue = "25gaussians", paramLabel = "NAME",
            description = "25gaussians or digits (default ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--steps", paramLabel = "N",
            description = "Training steps (default: the method's recipe budget on 2-D data; 300 on digits).")
    Integer steps;

    @Option(names = "--batch", paramLabel = "N", description = "Batch size (default 128; digits 64).")
    Integer batch;

    @Option(names = "--samples", paramLabel = "N", description = "Samples per evaluation (default 2000; digits 256).")
    Integer samples;

    @Option(names = "--sample-steps", split = ",", defaultValue = "1,2,4", paramLabel = "K",
            description = "Student step counts to sample at (default ${DEFAULT-VALUE}).")
    int[] sampleSteps;

    @Option(names = "--narrow", description = "The narrow student of 'demo --quick'.")
    boolean narrow;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    TeacherOptions teacher;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() {
        Dataset data = Dataset.parse(dataset);
        DistillMethod m = MethodRegistry.byName(method.trim(), "--method");
        DemoCommand.Budget budget = (data == Dataset.DIGITS ? DemoCommand.DIGITS_FULL : DemoCommand.FULL)
                .with(steps, "--steps", batch, samples);
        for (int k : sampleSteps) {
            if (k < 1) {
                throw new CliException("--sample-steps must all be at least 1, got " + k);
            }
        }
        TeacherSource teachers = teacher.source("analytic");
        String commandLine = "distillery distill " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        return DemoCommand.execute(spec, run, "distill-" + DemoReport.fileName(m.name()), data,
                budget, List.of(m), teachers, narrow, seed, sampleSteps, commandLine,
                STUDENT_FOLDER);
    }
}
