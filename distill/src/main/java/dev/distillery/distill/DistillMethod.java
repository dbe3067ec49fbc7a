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
