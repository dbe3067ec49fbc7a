package dev.distillery.cli.report;


import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of several seeds of one comparison as one: per row (rows are matched by position, as
 * every seed runs the same rows in the same order) each metric's mean over the seeds where it is
 * finite and, in a companion column {@code <metric>_sd}, its sample standard deviation
 * {@code sqrt(sum (v - mean)^2 / (k - 1))} over those k seeds (NaN when k &lt; 2). {@code nfe} gets no
 * spread (it is a setting). The seconds are means. One table is returned as it is: a single seed
 * has no spread to show.
 */
public final class SeedAggregate {
    /** Suffix of a spread column. */
    public static final String SD = "_sd";

    private SeedAggregate() {
    }

    public static MetricsTable of(List<MetricsTable> perSeed) {
        if (perSeed.size() == 1) {
            return perSeed.get(0);
        }
        MetricsTable first = perSeed.get(0);
        MetricsTable out = new MetricsTable();
        List<String> names = first.metricNames();
        for (int i = 0; i < first.rows().size(); i++) {
            MetricsTable.Row row = first.rows().get(i);
            Map<String, Double> m = new LinkedHashMap<>();
            for (String name : names) {
                double[] v = new double[perSeed.size()];
                for (int s = 0; s < v.length; s++) {
                    MetricsTable.Row r = perSeed.get(s).rows().get(i);
                    if (!r.method().equals(row.method()) || r.steps() != row.steps()) {
                        throw new IllegalStateException("seed tables differ at row " + i + ": " + r.method() + " vs " + row.method());
                    }
                    v[s] = r.metric(name);
                }
                m.put(name, mean(v));
                if (!name.equals("nfe")) {
                    m.put(name + SD, sd(v));
                }
            }
            double[] train = new double[perSeed.size()];
            double[] sample = new double[perSeed.size()];
            for (int s = 0; s < train.length; s++) {
                train[s] = perSeed.get(s).rows().get(i).trainSeconds();
                sample[s] = perSeed.get(s).rows().get(i).sampleSeconds();
            }
            out.add(row.method(), row.steps(), m, mean(train), mean(sample));
        }
        return out;
    }

    /** Mean of the finite values (NaN when none). */
    public static double mean(double[] v) {
        double sum = 0;
        int k = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                sum += x;
                k++;
            }
        }
        return k == 0 ? Double.NaN : sum / k;
    }

    /** Sample standard deviation of the finite values (NaN with fewer than two). */
    public static double sd(double[] v) {
        double mean = mean(v);
        double ss = 0;
        int k = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                ss += (x - mean) * (x - mean);
                k++;
            }
        }
        return k < 2 ? Double.NaN : Math.sqrt(ss / (k - 1));
    }
}
