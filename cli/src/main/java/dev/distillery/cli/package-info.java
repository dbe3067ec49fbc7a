/**
 * The CLI's entry points, and nothing below imports it: {@link dev.distillery.cli.Main}, which the
 * {@code distillery} launcher runs ({@code --config} files, plugins, one-line failures);
 * {@link dev.distillery.cli.SubcommandPlugin}, through which another module adds a subcommand; and
 * the API of the sweep module, {@link dev.distillery.cli.GridCell} (one demo cell) with
 * {@link dev.distillery.cli.ShippedTeacher} (a teacher that travels to its tasks). The commands are
 * in {@code cli.command}, the pipeline in {@code cli.run} (docs/ARCHITECTURE.md, "Import rules").
 */
package dev.distillery.cli;
