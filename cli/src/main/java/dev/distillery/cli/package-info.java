/**
 * The {@code distillery} command (picocli): one class per subcommand ({@code demo}, {@code train},
 * {@code distill}, {@code sample}, {@code eval}, {@code schedule}, {@code audit}, {@code bench},
 * {@code backends}) and the run pipeline they share (datasets, teachers, evaluation, verdicts,
 * frontier, saved students). Reports are in {@code cli.report}, progress bars in
 * {@code cli.progress}. The top layer: may import every module but the test harness and JMH
 * (docs/ARCHITECTURE.md).
 */
package dev.distillery.cli;
