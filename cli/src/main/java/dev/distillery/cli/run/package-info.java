/**
 * The run pipeline the commands call: a {@link dev.distillery.cli.run.RunConfig} (what the flags
 * chose) run by {@link dev.distillery.cli.run.DistillRun}: the teacher, the evaluation set and
 * real-data floor ({@code Evaluation}), the teacher's frontier, every method trained side by side
 * and sampled ({@code MethodRun}, {@code SideBySide}), verdicts, and the report folder
 * ({@code DemoReport}); and a saved student rebuilt for {@code sample} and {@code eval}
 * ({@code SavedStudent}). Commands only parse flags into these types; nothing here knows picocli.
 */
package dev.distillery.cli.run;
