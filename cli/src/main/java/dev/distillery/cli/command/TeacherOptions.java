package dev.distillery.cli.command;

import dev.distillery.cli.teacher.TeacherSource;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The flags that choose a run's teacher, shared by {@code demo} and {@code distill}. */
final class TeacherOptions {
    @Option(names = "--teacher-checkpoint", paramLabel = "DIR",
            description = "Use a trained teacher network from this checkpoint instead of the analytic teacher.")
    Path checkpoint;

    @Option(names = "--teacher-prediction", paramLabel = "KIND",
            description = "What the --teacher-checkpoint network predicts: eps, x0 or v (default: as recorded by 'distillery train').")
    String prediction;

    @Option(names = "--teacher", paramLabel = "KIND",
            description = "trained (train the dataset's teacher network first, about a minute on 25gaussians, 20 on digits; "
                    + "see --teacher-steps), bundled (digits only: the U-Net teacher in the jar, made by 'distillery train "
                    + "--dataset digits') or analytic (the exact mixture denoiser; students then start from fresh weights, "
                    + "not the teacher's). Default: bundled on digits; on 25gaussians trained for 'demo' (with --quick for "
                    + DemoCommand.QUICK_TEACHER_STEPS + " steps) and analytic for 'distill'.")
    String kind;

    @Option(names = "--teacher-steps", paramLabel = "N",
            description = "Training steps of a --teacher trained (default: the recipe's).")
    Integer steps;

    /** The teacher these flags ask for, {@code defaultKind} when {@code --teacher} is not given. */
    TeacherSource source(String defaultKind) {
        return source(defaultKind, null);
    }

    /**
     * As {@link #source(String)}, with {@code defaultSteps} training steps for a trained teacher when
     * {@code --teacher-steps} is not given (null: the recipe's).
     */
    TeacherSource source(String defaultKind, Integer defaultSteps) {
        return TeacherSource.choose(kind != null ? kind : defaultKind, steps != null ? steps : defaultSteps, checkpoint,
                prediction);
    }
}
