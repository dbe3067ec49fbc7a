package dev.distillery.cli.progress;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.function.LongSupplier;

/**
 * Makes {@link Progress} reporters in one of three modes, chosen once per command from
 * {@code --quiet} and whether the output is a terminal:
 * <ul>
 *   <li>{@link Mode#TERMINAL}: one line redrawn in place with {@code \r} (label, percentage, bar,
 *       count, rate, ETA, latest values), at most {@link #REDRAW_NANOS} apart;</li>
 *   <li>{@link Mode#LINES} (stderr redirected to a file or a CI log): whole lines at a modest
 *       cadence, one each time another 10% is reached but at most one per {@code minInterval},
 *       one at least every {@code maxInterval} while updates arrive, and one at the end;</li>
 *   <li>{@link Mode#QUIET}: nothing ({@link Progress#NONE}).</li>
 * </ul>
 * Reporters write to the given writer, in the CLI always stderr.
 */
public final class ProgressFactory {

    /** How progress is shown. */
    public enum Mode { TERMINAL, LINES, QUIET }

    /** Minimum time between terminal redraws: 10 per second. */
    public static final long REDRAW_NANOS = 100_000_000L;
    /** Default minimum time between plain lines: 5 s. */
    public static final long MIN_INTERVAL_NANOS = 5_000_000_000L;
    /** Default maximum time between plain lines while updates arrive: 60 s. */
    public static final long MAX_INTERVAL_NANOS = 60_000_000_000L;

    private final Mode mode;
    private final PrintWriter out;
    private final LongSupplier nanoTime;
    private final int width;
    private final long minIntervalNanos;
    private final long maxIntervalNanos;
    private final boolean unicode;

    /**
     * A factory with explicit settings (tests pass a fake clock).
     *
     * @param width terminal width in columns; lines are kept shorter than this
     * @param unicode draw the bar with block characters instead of ASCII
     */
    public ProgressFactory(Mode mode, PrintWriter out, LongSupplier nanoTime, int width,
                           long minIntervalNanos, long maxIntervalNanos, boolean unicode) {
        this.mode = mode;
        this.out = out;
        this.nanoTime = nanoTime;
        this.width = Math.max(40, width);
        this.minIntervalNanos = minIntervalNanos;
        this.maxIntervalNanos = maxIntervalNanos;
        this.unicode = unicode;
    }

    /** A factory with the default clock, width and cadence. */
    public ProgressFactory(Mode mode, PrintWriter out) {
        this(mode, out, System::nanoTime, terminalWidth(), MIN_INTERVAL_NANOS, MAX_INTERVAL_NANOS, false);
    }

    /**
     * The factory for this process: quiet gives nothing; otherwise a terminal line when the JVM
     * has a console (stdin and stdout are a terminal) and {@code TERM} is not {@code dumb}, plain
     * lines if not; written to stderr.
     */
    public static ProgressFactory forStderr(boolean quiet) {
        boolean terminal = terminal();
        Mode mode = mode(quiet, terminal);
        boolean unicode = terminal && Charset.defaultCharset().name().toUpperCase(java.util.Locale.ROOT).contains("UTF");
        return new ProgressFactory(mode, new PrintWriter(System.err, true), System::nanoTime, terminalWidth(),
                MIN_INTERVAL_NANOS, MAX_INTERVAL_NANOS, unicode);
    }

    /**
     * The factory of a command: quiet gives nothing; otherwise a terminal line when the JVM has a
     * console and {@code TERM} is not {@code dumb}, plain lines if not; written to {@code err} (the
     * command's stderr, which tests capture).
     */
    public static ProgressFactory forCommand(boolean quiet, PrintWriter err) {
        return new ProgressFactory(mode(quiet, terminal()), err);
    }

    /** Whether the JVM has a console (stdin and stdout are a terminal) and {@code TERM} is not {@code dumb}. */
    private static boolean terminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    /** The mode for the flags: quiet wins, then terminal or lines. */
    public static Mode mode(boolean quiet, boolean isTerminal) {
        return quiet ? Mode.QUIET : isTerminal ? Mode.TERMINAL : Mode.LINES;
    }

    /** The chosen mode. */
    public Mode mode() {
        return mode;
    }

    /** A new reporter; one per loop or one reused across loops. */
    public Progress create() {
        return switch (mode) {
            case QUIET -> Progress.NONE;
            case TERMINAL -> new TerminalProgress(out, nanoTime, width, unicode);
            case LINES -> new LineProgress(out, nanoTime, minIntervalNanos, maxIntervalNanos);
        };
    }

    /**
     * A reporter for one of several loops that run at the same time. They cannot share one line
     * redrawn in place, so the terminal mode falls back to whole lines (each names its loop).
     */
    public Progress createSideBySide() {
        return mode == Mode.TERMINAL ? new LineProgress(out, nanoTime, minIntervalNanos, maxIntervalNanos) : create();
    }

    /** {@code COLUMNS} when the shell exports it, else 80. */
    static int terminalWidth() {
        try {
            String c = System.getenv("COLUMNS");
            return c == null ? 80 : Integer.parseInt(c.trim());
        } catch (NumberFormatException e) {
            return 80;
        }
    }
}
