/**
 * The {@code distillery} command (picocli): one class per subcommand ({@code demo}, {@code train},
 * {@code distill}, {@code sample}, {@code eval}, {@code schedule}, {@code audit}, {@code bench},
 * {@code backends}), which only parse flags, the option mixins they share, and the datasets,
 * teachers and student folders the pipeline reads. The run pipeline (setup, training side by side,
 * sampling, evaluation, verdicts, report, saved students) is in {@code cli.run}, report files in
 * {@code cli.report}, progress bars in {@code cli.progress}. The top layer: may import every module but the test harness and JMH
 * (docs/ARCHITECTURE.md).
 */
package dev.distillery.cli;
