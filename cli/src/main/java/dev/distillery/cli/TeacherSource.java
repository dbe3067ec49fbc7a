package dev.distillery.cli;

import dev.distillery.cli.progress.Progress;

/**
 * Where a run's teacher comes from. {@link #ANALYTIC} is the exact denoiser of the dataset's
 * Gaussian mixture (for digits, of the training images blurred into a mixture); a trained teacher
 * comes from a checkpoint ({@link CheckpointTeacher}). Training a teacher network inside the demo
 * plugs in here once the diffusion trainer lands.
 */
interface TeacherSource {

    /** The teacher for {@code dataset}; long work reports on {@code progress}. */
    Teacher obtain(Dataset dataset, long seed, Progress progress);

    /** The analytic teacher: exact, free, and the fairest yardstick for the students. */
    TeacherSource ANALYTIC = (dataset, seed, progress) -> dataset.analyticTeacher();
}
