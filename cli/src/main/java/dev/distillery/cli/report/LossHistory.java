package dev.distillery.cli.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the named losses a training loop returns at each step ({@code Map<String, Double>},
 * as {@code Distiller.step} gives them) into {@link LossPlot.Series}, one per name in first-seen
 * order. A name missing at some step simply has no point there. One producer thread.
 */
public final class LossHistory {
    private final Map<String, double[][]> data = new LinkedHashMap<>();
    private final Map<String, Integer> sizes = new LinkedHashMap<>();

    /** Records the losses of {@code step}. */
    public void record(long step, Map<String, Double> losses) {
        for (Map.Entry<String, Double> e : losses.entrySet()) {
            double[][] xy = data.computeIfAbsent(e.getKey(), k -> new double[2][16]);
            int n = sizes.getOrDefault(e.getKey(), 0);
            if (n == xy[0].length) {
                xy[0] = Arrays.copyOf(xy[0], 2 * n);
                xy[1] = Arrays.copyOf(xy[1], 2 * n);
                data.put(e.getKey(), xy);
            }
            xy[0][n] = step;
            xy[1][n] = e.getValue() == null ? Double.NaN : e.getValue();
            sizes.put(e.getKey(), n + 1);
        }
    }

    /** One series per loss name. */
    public List<LossPlot.Series> series() {
        List<LossPlot.Series> out = new ArrayList<>();
        for (Map.Entry<String, double[][]> e : data.entrySet()) {
            int n = sizes.get(e.getKey());
            out.add(new LossPlot.Series(e.getKey(), Arrays.copyOf(e.getValue()[0], n), Arrays.copyOf(e.getValue()[1], n)));
        }
        return out;
    }

    /** The last recorded value of each loss, for a progress line. */
    public Map<String, Double> latest() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, double[][]> e : data.entrySet()) {
            out.put(e.getKey(), e.getValue()[1][sizes.get(e.getKey()) - 1]);
        }
        return out;
    }
}
