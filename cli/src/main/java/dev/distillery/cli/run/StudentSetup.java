package dev.distillery.cli.run;

import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.teacher.Architectures;
import dev.distillery.cli.teacher.Teacher;
import dev.distillery.distill.DistillMethod;
import dev.distillery.distill.DistillSetup;

/**
 * The setup every method of a run gets, and a saved student's rebuild ({@link SavedStudent})
 * gets again: one place, so both build the same distiller.
 */
public final class StudentSetup {
    private StudentSetup() {
    }

    /**
     * The teacher, its network, the dataset's student architecture (the teacher network's own when
     * there is one) with the method's conditionings, real data, batch and seed.
     */
    public static DistillSetup of(Dataset data, Teacher teacher, DistillMethod m, boolean narrow, int batch, long seed) {
        return new DistillSetup(teacher.denoiser(), teacher.network(),
                Architectures.student(data, narrow, seed, m.studentConditioning(teacher.classes()), teacher), data.data(),
                data.sampleShape(), Dataset.DTYPE, batch, seed);
    }
}
