package dev.distillery.cli.command;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The top of the command tree: {@code distillery} with its subcommands and the options they all
 * inherit. Public so that the launcher ({@code cli.Main}) can run it; the subcommands stay private
 * to this package.
 */
@Command(name = "distillery", mixinStandardHelpOptions = true, version = "distillery 0.1.0",
        resourceBundle = "dev.distillery.cli.options",
        description = "Diffusion models and diffusion distillation on the JVM.",
        subcommands = {DemoCommand.class, TrainCommand.class, DistillCommand.class, SampleCommand.class,
                EvalCommand.class, ScheduleCommand.class, AuditCommand.class, BenchCommand.class,
                BackendsCommand.class, CommandLine.HelpCommand.class})
public final class DistilleryCommand implements Runnable {

    /** Read by the launcher from the arguments, before parsing; declared here for the help and inheritance. */
    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces for errors.")
    boolean debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this),
                "no command given");
    }
}
