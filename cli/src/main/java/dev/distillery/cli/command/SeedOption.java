package dev.distillery.cli.command;

import picocli.CommandLine.Option;

/**
 * {@code --seed}, declared once for every command that draws randomness; what the seed seeds is
 * worded per command in {@code options.properties} (key {@code distillery.<command>.seed}).
 */
final class SeedOption {
    @Option(names = "--seed", defaultValue = "0", paramLabel = "<seed>", descriptionKey = "seed", description = "Seed (default ${DEFAULT-VALUE}).")
    long value;
}
