package dev.distillery.cli.command;

import dev.distillery.autograd.Backends;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the compute backends on the class path and whether each can run on this machine. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List compute backends (scalar, simd, cuda) and whether each can run here.")
final class BackendsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : Backends.describe()) {
            spec.commandLine().getOut().println(line);
        }
        spec.commandLine().getOut().println("default: " + Backends.current().name()
                + " (" + Backends.current().threads() + " threads)");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
