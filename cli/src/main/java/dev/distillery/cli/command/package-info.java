/**
 * The {@code distillery} commands (picocli): {@link dev.distillery.cli.command.DistilleryCommand}
 * and one class per subcommand ({@code demo}, {@code train}, {@code distill}, {@code sample},
 * {@code eval}, {@code schedule}, {@code audit}, {@code bench}, {@code backends}), with the option
 * mixins they share. A command parses and checks its flags and calls the pipeline
 * ({@code cli.run}) or a library; the work itself lives there. Only the launcher imports it.
 */
package dev.distillery.cli.command;
