package dev.distillery.cli.command;

import dev.distillery.cli.progress.ProgressFactory;
import dev.distillery.cli.report.RunDirectory;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;

import picocli.CommandLine.Option;

/** The flags of every command that writes a run folder: where, under what name, and how loudly. */
final class RunOptions {
    @Option(names = RunDirectory.OUT_FLAG, paramLabel = "DIR", defaultValue = RunDirectory.DEFAULT_ROOT,
            description = "Root folder of runs (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = RunDirectory.NAME_FLAG, paramLabel = "NAME",
            description = "Name of the run folder (default: <date>-<time>-<command>).")
    String name;

    @Option(names = RunDirectory.FORCE_FLAG, description = "Replace an existing run of the same name (distill --checkpoint: also start the saved "
                    + "training again, replacing it).")
    boolean force;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    /** Opens {@code <out>/<name>}, failing now (before any long work) if it cannot be written. */
    RunDirectory open(String command) {
        String n = name != null ? name : RunDirectory.generatedName(out, command, Clock.systemDefaultZone());
        return RunDirectory.create(out, n, force);
    }

    /** Progress on {@code err}: nothing under --quiet, a redrawn line on a terminal, plain lines otherwise. */
    ProgressFactory progress(PrintWriter err) {
        return ProgressFactory.forCommand(quiet, err);
    }
}
