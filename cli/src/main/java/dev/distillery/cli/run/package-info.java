/**
 * The pipeline the commands call, and nothing here knows picocli: a
 * {@link dev.distillery.cli.run.RunConfig} (what the flags chose) run by
 * {@link dev.distillery.cli.run.DistillRun}: the teacher, the evaluation set and real-data floor
 * ({@code Evaluation}), the teacher's frontier, every method trained side by side and sampled
 * ({@code MethodRun}, {@code SideBySide}), verdicts, and the report folder ({@code DemoReport});
 * a saved student rebuilt for {@code sample} and {@code eval} ({@code SavedStudent}); the
 * teacher's training for {@code train} ({@code TrainRun}) and its DDIM samples for {@code sample}
 * ({@code TeacherSamples}); and the registry of methods the commands see ({@code MethodRegistry}).
 * Reads the stores, teachers, datasets, reports and progress below it; only the commands and the
 * root's grid cell read it.
 */
package dev.distillery.cli.run;
