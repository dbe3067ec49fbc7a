package dev.distillery.distill;

import dev.distillery.nn.models.Conditioning;

/** A registered method: its name, a one-line description, and a factory with the paper's defaults. */
public interface DistillMethod {

    String name();

    /** One line for `distillery distill --help` and reports, citing the paper. */
    String description();

    /** A fresh distiller; {@code trainingSteps} sizes its schedules (learning rate, curricula, rounds). */
    Distiller create(DistillSetup setup, int trainingSteps);

    /**
     * The training steps (batch 128) of this method's recipe on the 2-D demo data: the budget at
     * which its student reproduces the teacher at {@link #naturalSteps()} (the measurements and the
     * budget sweeps are in {@code docs/RESULTS.md}). Commands use it unless the user gives a step
     * count.
     */
    int recommendedSteps();

    /**
     * The sampling step count the method is designed for and judged at: 1 for the one-step
     * generators, 4 for progressive and guided distillation (whose last rounds are the least
     * accurate, Salimans &amp; Ho 2022 Table 2), the four-step DDGAN and adversarial loss on every step.
     */
    default int naturalSteps() {
        return 1;
    }

    /**
     * The optional inputs this method's student (and auxiliary) networks read besides (x, t): a
     * second time s for CTM, class labels and the guidance scale w for guided distillation. The
     * commands switch on exactly these in {@link DistillSetup#studentConfig()}, since a network
     * configured with an input requires it on every call. Default: none.
     *
     * @param teacherClasses the number of classes the teacher is conditioned on (0: unconditional)
     */
    default Conditioning studentConditioning(int teacherClasses) {
        return Conditioning.none();
    }

    /**
     * Whether the method distils a class-conditional teacher under classifier-free guidance
     * (guided distillation): the commands then give it such a teacher. Default: false.
     */
    default boolean needsClassConditionalTeacher() {
        return false;
    }
}
