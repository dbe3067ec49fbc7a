/**
 * Progress of long loops (training, sampling, evaluation) on stderr, so stdout stays clean for
 * JSON. {@link dev.distillery.cli.progress.ProgressFactory#forStderr(boolean)} picks the mode once
 * per command from {@code --quiet} and whether the JVM has a terminal: a single line redrawn with
 * {@code \r} (label, percentage, bar, count, rate, ETA, latest losses), plain lines at a modest
 * cadence for logs, or nothing. Loops see only {@link dev.distillery.cli.progress.Progress}
 * ({@code start}, {@code update}, {@code finish}) and call it from one thread. JDK only.
 */
package dev.distillery.cli.progress;
