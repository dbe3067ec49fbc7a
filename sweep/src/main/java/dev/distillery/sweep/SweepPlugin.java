package dev.distillery.sweep;

import dev.distillery.cli.SubcommandPlugin;

/** Adds {@code distillery sweep} to the CLI when this module is on the classpath. */
public final class SweepPlugin implements SubcommandPlugin {
    @Override
    public Object command() {
        return new SweepCommand();
    }
}
