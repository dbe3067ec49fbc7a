package dev.distillery.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code distillery} command. Every subcommand reports bad input as one line naming the
 * problem and the fix, with exit code 2; a stack trace appears only under {@code --debug}.
 */
@Command(name = "distillery", mixinStandardHelpOptions = true, version = "distillery 0.1.0",
        description = "Diffusion models and diffusion distillation on the JVM.",
        subcommands = {DemoCommand.class, TrainCommand.class, DistillCommand.class, SampleCommand.class,
                EvalCommand.class, ScheduleCommand.class, AuditCommand.class, BenchCommand.class,
                BackendsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code for bad input (flags, files, numbers). */
    public static final int USAGE_ERROR = 2;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces for errors.")
    boolean debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this),
                "no command given");
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
            err.println("distillery: " + e.getMessage());
            return e.exitCode();
        }
        CommandLine cl = new CommandLine(new Main());
        // subcommands of optional modules (sweep) that are on the classpath
        java.util.ServiceLoader.load(SubcommandPlugin.class).forEach(p -> cl.addSubcommand(p.command()));
        cl.setOverwrittenOptionsAllowed(true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("distillery: " + ex.getMessage() + hint(ex.getCommandLine()));
            if (debug) {
                ex.printStackTrace(err);
            }
            return USAGE_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof CliException || ex instanceof IllegalArgumentException) {
                err.println("distillery: " + ex.getMessage());
            } else {
                err.println("distillery: unexpected error: " + ex + " (rerun with --debug for the stack trace)");
            }
            if (debug) {
                ex.printStackTrace(err);
            }
            return ex instanceof CliException ce ? ce.exitCode() : USAGE_ERROR;
        });
        try {
            return cl.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler above; a JVM error (out of memory, a class
            // missing from a half-rebuilt install) still gets one line, not a trace
            err.println("distillery: internal error: " + e + " (rerun with --debug for the stack trace; if a class "
                    + "is missing, rebuild with ./mvnw -q -DskipTests install)");
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        }
    }

    private static String hint(CommandLine cl) {
        String msg = cl.getCommandName().equals("distillery") ? "distillery --help" : "distillery " + cl.getCommandName() + " --help";
        return " (see '" + msg + "')";
    }
}
