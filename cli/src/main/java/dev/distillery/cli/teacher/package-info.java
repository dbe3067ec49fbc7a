/**
 * Where a run's teacher comes from and what it is: {@link dev.distillery.cli.teacher.Teacher} (the
 * frozen denoiser, and its network when it has one), the sources {@code TeacherSource} chooses
 * among (the exact {@code AnalyticTeacher}, a {@code CheckpointTeacher}, {@code TeacherTraining}
 * with the dataset's recipe), the networks of a dataset ({@code Architectures}: the teacher's
 * recipe, the student's config), reading nn checkpoints ({@code Checkpoints}) and a teacher
 * network's fingerprint. Reads the datasets; the pipeline and the stores read it.
 */
package dev.distillery.cli.teacher;
