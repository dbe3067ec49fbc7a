package dev.distillery.cli;

import dev.distillery.autograd.io.PrintableText;
import dev.distillery.cli.command.DistilleryCommand;
import dev.distillery.cli.error.CliException;

import java.io.PrintWriter;

import picocli.CommandLine;

/**
 * The entry point of the {@code distillery} launcher: expands {@code --config} files, adds the
 * subcommands of optional modules ({@link SubcommandPlugin}) to {@link DistilleryCommand}, and turns
 * every failure into one line naming the problem and the fix, with exit code 2; a stack trace
 * appears only under {@code --debug}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        try {
            args = ConfigFile.expand(args);
        } catch (CliException e) {
            err.println(line(e.getMessage()));
            return e.exitCode();
        }
        CommandLine cl = new CommandLine(new DistilleryCommand());
        // subcommands of optional modules (sweep) that are on the classpath
        java.util.ServiceLoader.load(SubcommandPlugin.class).forEach(p -> cl.addSubcommand(p.command()));
        cl.setOverwrittenOptionsAllowed(true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println(line(ex.getMessage() + hint(ex.getCommandLine())));
            if (debug) {
                ex.printStackTrace(err);
            }
            return CliException.USAGE_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof CliException || ex instanceof IllegalArgumentException) {
                err.println(line(ex.getMessage()));
            } else {
                err.println(line("unexpected error: " + ex + " (rerun with --debug for the stack trace)"));
            }
            if (debug) {
                ex.printStackTrace(err);
            }
            return ex instanceof CliException ce ? ce.exitCode() : CliException.USAGE_ERROR;
        });
        try {
            return cl.execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) {
            // picocli hands only Exceptions to the handler above. The readers bound their inputs, so
            // these mean an input beyond what this JVM can hold: the user's to change, like bad flags
            err.println(line((e instanceof OutOfMemoryError ? "out of memory" : "stack overflow")
                    + " while running the command: an input is too large or too deeply nested for this JVM; check "
                    + "the files given, or raise the heap with -Xmx (rerun with --debug for the stack trace)"));
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return CliException.USAGE_ERROR;
        } catch (Error e) {
            // a JVM error such as a class missing from a half-rebuilt install still gets one line, not a trace
            err.println(line("internal error: " + e + " (rerun with --debug for the stack trace; if a class "
                    + "is missing, rebuild with ./mvnw -q -DskipTests install)"));
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        }
    }

    /**
     * A failure as the one line the user sees: messages quote file contents and names, so control
     * characters (terminal escapes, line breaks) are shown escaped and the length is bounded.
     */
    static String line(String message) {
        return "distillery: " + PrintableText.of(message, MESSAGE_CHARS);
    }

    /** The longest error line; long enough for a list of mismatched weight names. */
    private static final int MESSAGE_CHARS = 2000;

    private static String hint(CommandLine cl) {
        String msg = cl.getCommandName().equals("distillery") ? "distillery --help" : "distillery " + cl.getCommandName() + " --help";
        return " (see '" + msg + "')";
    }
}
