package dev.distillery.sweep;

import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured row of a cell: a student (or the teacher) sampled at one step count.
 *
 * @param name          the row's method name as in the demo's table ({@code real-data} and
 *                      {@code teacher-ddim} for a reference cell)
 * @param sampleSteps   the sampler's steps
 * @param metrics       the dataset's metrics, in the demo's order (empty when the row failed)
 * @param trainSeconds  wall time of the training (not part of the result's identity)
 * @param sampleSeconds wall time of the sampling (not part of the result's identity)
 */
public record ResultRow(String name, int sampleSteps, Map<String, Double> metrics, double trainSeconds,
                        double sampleSeconds) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public ResultRow {
        metrics = new LinkedHashMap<>(metrics);
    }

    /** The metric, NaN when absent. */
    public double metric(String name) {
        Double v = metrics.get(name);
        return v == null ? Double.NaN : v;
    }
}
