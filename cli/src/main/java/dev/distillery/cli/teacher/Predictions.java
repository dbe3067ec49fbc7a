package dev.distillery.cli.teacher;

import dev.distillery.cli.error.CliException;
import dev.distillery.diffusion.denoise.Prediction;

import java.util.Locale;

/** The spelling of {@link Prediction} on the command line: eps, x0, v. */
public final class Predictions {
    private Predictions() {
    }

    public static Prediction parse(String value, String flag) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "eps", "epsilon" -> Prediction.EPS;
            case "x0", "x" -> Prediction.X0;
            case "v" -> Prediction.V;
            default -> throw new CliException("unknown prediction '" + value + "' for " + flag + "; choose eps, x0 or v");
        };
    }
}
