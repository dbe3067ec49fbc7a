/**
 * The CLI's one kind of user-facing failure, {@link dev.distillery.cli.error.CliException}: a line
 * naming the problem and the fix, and its exit code. The bottom of the CLI, so that every other
 * package can fail the same way without importing the layers above it.
 */
package dev.distillery.cli.error;
