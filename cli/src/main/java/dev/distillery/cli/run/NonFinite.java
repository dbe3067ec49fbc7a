package dev.distillery.cli.run;

import java.util.Locale;
import java.util.Map;

/**
 * Finds the first NaN or infinity where results must be finite: the losses of a training step
 * (checked every step: a few map entries) and a set of samples (checked once, at the end), so a
 * diverged network is reported where it happens instead of flowing into files and metrics.
 */
final class NonFinite {
    private NonFinite() {
    }

    /** {@code "loss 'x' is NaN"} for the first non-finite loss, or null when all are finite. */
    static String inLosses(Map<String, Double> losses) {
        for (Map.Entry<String, Double> e : losses.entrySet()) {
            Double v = e.getValue();
            if (v == null || !Double.isFinite(v)) {
                return "loss '" + e.getKey() + "' is " + v;
            }
        }
        return null;
    }

    /** {@code "NaN at sample 3, coordinate 1 (of 1000 samples)"} for the first non-finite value, or null. */
    static String inSamples(double[][] rows) {
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                if (!Double.isFinite(rows[i][j])) {
                    return String.format(Locale.ROOT, "%s at sample %d, coordinate %d (of %d samples)", rows[i][j], i, j,
                            rows.length);
                }
            }
        }
        return null;
    }
}
