package dev.distillery.cli.command;

import dev.distillery.cli.data.Dataset;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --dataset}, declared once for every command that reads a dataset; a command whose help
 * says more about it words it in {@code options.properties} (key {@code distillery.<command>.dataset}).
 */
final class DatasetOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--dataset", defaultValue = "25gaussians", paramLabel = "NAME", descriptionKey = "dataset",
            description = "25gaussians or digits (default ${DEFAULT-VALUE}).")
    String name;

    /** The dataset named, or a one-line error listing the choices. */
    Dataset parse() {
        return Dataset.parse(name);
    }

    /** The name when {@code --dataset} was given on the command line, else null (its default contradicts nothing). */
    String given() {
        return mixee.commandLine().getParseResult().hasMatchedOption("--dataset") ? name : null;
    }
}
