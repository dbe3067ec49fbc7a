package dev.distillery.cli.error;

/** A user-facing failure: its message names the problem and the fix. */
public final class CliException extends RuntimeException {
    /** Exit code for bad input (flags, files, numbers). */
    public static final int USAGE_ERROR = 2;

    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public CliException(String message) {
        this(message, USAGE_ERROR);
    }

    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** A caught exception as a message names it, "IllegalStateException: message", on one line. */
    public static String describe(Throwable e) {
        String msg = e.getMessage() == null ? "" : ": " + e.getMessage().strip().replace('\n', ' ');
        return e.getClass().getSimpleName() + msg;
    }
}
