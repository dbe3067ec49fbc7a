package dev.distillery.cli.command;

import dev.distillery.cli.error.CliException;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import dev.distillery.diffusion.schedule.DiscreteSchedules;
import dev.distillery.diffusion.schedule.ScheduleTable;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints a discrete noise schedule, one row per t = 1..T with columns
 * {@code t, beta, alpha_bar, alpha, sigma, log_snr} (MATH.md section 0), in full double precision.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "Print a noise schedule table (docs/MATH.md section 0) as CSV or JSON.")
final class ScheduleCommand implements Callable<Integer> {

    enum Kind { linear, scaled_linear, cosine }

    enum Format { csv, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--kind", required = true, converter = KindConverter.class,
            description = "linear, scaled-linear or cosine.")
    Kind kind;

    @Option(names = "--zero-terminal-snr", description = "Rescale so that the last alpha is exactly 0 (Lin et al. 2024).")
    boolean zeroTerminalSnr;

    @Option(names = "--steps", defaultValue = "1000", description = "Number of steps T (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--format", defaultValue = "csv", description = "csv or json (default ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        if (steps < 1) {
            throw new CliException("--steps must be at least 1, got " + steps);
        }
        DiscreteSchedule s = switch (kind) {
            case linear -> DiscreteSchedules.linear(steps);
            case scaled_linear -> DiscreteSchedules.scaledLinear(steps);
            case cosine -> DiscreteSchedules.cosine(steps);
        };
        if (zeroTerminalSnr) {
            s = DiscreteSchedules.rescaleZeroTerminalSnr(s);
        }
        ScheduleTable table = ScheduleTable.of(s);
        spec.commandLine().getOut().print(format == Format.csv ? table.toCsv() : table.toJson() + "\n");
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Accepts the documented spelling "scaled-linear". */
    static final class KindConverter implements picocli.CommandLine.ITypeConverter<Kind> {
        @Override
        public Kind convert(String value) {
            try {
                return Kind.valueOf(value.trim().replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("unknown schedule kind '" + value
                        + "'; choose linear, scaled-linear or cosine");
            }
        }
    }
}
