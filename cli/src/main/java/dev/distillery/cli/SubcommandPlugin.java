package dev.distillery.cli;

/**
 * A subcommand that another module adds to {@code distillery} without the CLI depending on it:
 * {@link Main} finds every implementation on the classpath with {@link java.util.ServiceLoader}
 * (listed in {@code META-INF/services/dev.distillery.cli.SubcommandPlugin}). This is how
 * {@code distillery sweep} arrives from the sweep module, so that the CLI's own jars, and everything
 * below them, stay free of Apache Spark.
 */
public interface SubcommandPlugin {

    /** A fresh picocli command object (annotated with {@code @Command}, its name the subcommand's). */
    Object command();
}
