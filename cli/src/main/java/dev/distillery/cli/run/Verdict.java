package dev.distillery.cli.run;


import dev.distillery.cli.data.Criterion;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.data.Metrics;
import dev.distillery.cli.report.MetricsTable;
import dev.distillery.cli.report.SeedAggregate;

import java.util.List;
import java.util.Locale;

/**
 * Whether a row beats, matches or trails a baseline row, in a way that cannot flatter: a difference
 * counts only when it exceeds both the metric's sampling resolution and the spread over seeds.
 *
 * <p><b>Why.</b> A ratio of distances (the old {@code vs_teacher} = sliced W2 / teacher's sliced W2)
 * let a blur with the right mean and covariance "beat" the teacher while covering no mode: sliced
 * W2 at 2000 samples sits at its own floor (real vs real: 0.19 to 0.26). Mode coverage, the
 * high-quality share and recall are what distillation loses first, so they rank.
 *
 * <p><b>The rule.</b> For a criterion metric m (good direction +1 or -1) the signed gain is
 * {@code d = dir * (m_row - m_base)}, and its threshold is
 * <pre>
 *   tau_m = max(noise_m, 2 * max(sd_row, sd_base))
 * </pre>
 * with {@code sd} the spread (std) of m over seeds (0 with one seed) and {@code noise_m}:
 * <ul>
 *   <li>{@link Criterion.Noise#ONE_UNIT}: 1 (modes: one mode either way is noise);</li>
 *   <li>{@link Criterion.Noise#BINOMIAL}: {@code 2 sqrt(p (1 - p) / n)}, p the mean of the two values and n
 *       the sample count: two binomial standard errors of a share (hq_fraction, precision, recall);</li>
 *   <li>{@link Criterion.Noise#FLOOR}: the metric's real-vs-real floor (a distance such as FD cannot resolve
 *       differences smaller than its value on two real samples).</li>
 * </ul>
 * Values are first clipped at the real-data floor for shares and counts (a row cannot be better than
 * real data: an hq_fraction above the floor's comes from collapsing onto mode centres). The metric
 * says better when {@code d > tau}, worse when {@code d < -tau}, else within noise. The first two
 * criteria decide together: {@code better} when one is better and neither worse, {@code worse} when
 * one is worse and neither better, {@code mixed} when one is better and the other worse; when both
 * are within noise the later criteria break the tie in order (the verdict then names the metric,
 * e.g. {@code better (recall)}), and if none resolves it the verdict is {@code within noise}. A
 * missing value gives an empty verdict.
 */
final class Verdict {
    static final String BETTER = "better";
    static final String WORSE = "worse";
    static final String MIXED = "mixed";
    static final String WITHIN_NOISE = "within noise";

    private Verdict() {
    }

    /**
     * A metric's value in one row: its mean over seeds and their spread (0 with one seed).
     */
    record Value(double mean, double sd) {
        static Value of(double mean) {
            return new Value(mean, 0.0);
        }
    }

    /** {@code tau_m} of the class comment; {@code floor} is used by {@link Criterion.Noise#FLOOR} only. */
    static double threshold(Criterion c, Value row, Value base, int n, double floor) {
        double noise = switch (c.noise()) {
            case ONE_UNIT -> 1.0;
            case BINOMIAL -> {
                double p = Math.min(1.0, Math.max(0.0, (row.mean() + base.mean()) / 2));
                yield 2.0 * Math.sqrt(p * (1 - p) / n);
            }
            case FLOOR -> Double.isFinite(floor) ? Math.abs(floor) : 0.0;
        };
        return Math.max(noise, 2.0 * Math.max(finiteOrZero(row.sd()), finiteOrZero(base.sd())));
    }

    /** +1 better, -1 worse, 0 within noise, or null when a value is missing. */
    static Integer compare(Criterion c, Value row, Value base, int n, double floor) {
        if (!Double.isFinite(row.mean()) || !Double.isFinite(base.mean())) {
            return null;
        }
        double gain = (c.higherIsBetter() ? 1 : -1) * (capped(c, row.mean(), floor) - capped(c, base.mean(), floor));
        double tau = threshold(c, row, base, n, floor);
        return gain > tau ? 1 : gain < -tau ? -1 : 0;
    }

    /**
     * The verdict over {@code criteria} (values in the same order for row, baseline and floor);
     * "" when a primary value is missing.
     */
    static String of(List<Criterion> criteria, List<Value> row, List<Value> base, List<Double> floor, int n) {
        int primaries = Math.min(2, criteria.size());
        boolean better = false;
        boolean worse = false;
        for (int i = 0; i < primaries; i++) {
            Integer r = compare(criteria.get(i), row.get(i), base.get(i), n, floor.get(i));
            if (r == null) {
                return "";
            }
            better |= r > 0;
            worse |= r < 0;
        }
        if (better || worse) {
            return better && worse ? MIXED : better ? BETTER : WORSE;
        }
        for (int i = primaries; i < criteria.size(); i++) {
            Integer r = compare(criteria.get(i), row.get(i), base.get(i), n, floor.get(i));
            if (r != null && r != 0) {
                return (r > 0 ? BETTER : WORSE) + " (" + criteria.get(i).metric() + ")";
            }
        }
        return WITHIN_NOISE;
    }

    /** Text column: the verdict against the teacher's DDIM at the row's NFE. */
    static final String VS_DDIM = "vs_ddim";
    /** Text column: the verdict against the teacher's DDIM-50 reference sampler. */
    static final String VS_DDIM50 = "vs_ddim50";
    /** Text column: the verdict against the teacher's ancestral reference sampler (DDPM-1000; digits DDPM-100). */
    static final String VS_DDPM = "vs_ddpm";

    /**
     * {@code table} with the verdict columns: {@link #VS_DDIM} on every student row (against the
     * {@code teacher-ddim} row of the same NFE), {@link #VS_DDIM50} on every row but the floor
     * and the DDIM-50 row itself (against {@code teacher-ddim50}) and {@link #VS_DDPM} likewise
     * against the teacher's DDPM reference row; spreads come from the
     * {@code <metric>_sd} columns when present and floors from the {@code real-data} row.
     *
     * @param n the sample count (of the binomial noise)
     */
    static MetricsTable apply(MetricsTable table, Dataset dataset, int n) {
        List<Criterion> cs = Metrics.of(dataset).criteria();
        MetricsTable.Row floor = find(table, DemoResults.REAL_DATA, -1);
        MetricsTable.Row ddim50 = find(table, DemoResults.TEACHER_DDIM50, -1);
        String ddpmName = DemoResults.ddpmRow(dataset);
        MetricsTable.Row ddpm = find(table, ddpmName, -1);
        List<Double> floors = cs.stream().map(c -> floor == null ? Double.NaN : floor.metric(c.metric())).toList();
        MetricsTable out = new MetricsTable();
        for (MetricsTable.Row r : table.rows()) {
            String name = r.method();
            MetricsTable.Row row = r;
            if (!name.equals(DemoResults.REAL_DATA) && !name.startsWith(DemoResults.TEACHER_PREFIX)) {
                MetricsTable.Row base = find(table, DemoResults.TEACHER_DDIM, (int) r.metric("nfe"));
                row = row.withLabel(VS_DDIM, base == null ? "" : of(cs, values(cs, r), values(cs, base), floors, n));
            } else {
                row = row.withLabel(VS_DDIM, "");
            }
            boolean compared = !name.equals(DemoResults.REAL_DATA) && !name.equals(DemoResults.TEACHER_DDIM50);
            row = row.withLabel(VS_DDIM50, compared && ddim50 != null ? of(cs, values(cs, r), values(cs, ddim50), floors, n) : "");
            boolean againstDdpm = !name.equals(DemoResults.REAL_DATA) && !name.equals(ddpmName);
            row = row.withLabel(VS_DDPM, againstDdpm && ddpm != null ? of(cs, values(cs, r), values(cs, ddpm), floors, n) : "");
            out.add(row);
        }
        return out;
    }

    private static List<Value> values(List<Criterion> cs, MetricsTable.Row r) {
        return cs.stream().map(c -> {
            double sd = r.metric(c.metric() + SeedAggregate.SD);
            return new Value(r.metric(c.metric()), Double.isFinite(sd) ? sd : 0.0);
        }).toList();
    }

    /** The row called {@code method} with NFE {@code nfe} (any NFE when negative), or null. */
    static MetricsTable.Row find(MetricsTable table, String method, int nfe) {
        for (MetricsTable.Row r : table.rows()) {
            if (r.method().equals(method) && (nfe < 0 || r.metric("nfe") == nfe)) {
                return r;
            }
        }
        return null;
    }

    /** The rule in one paragraph for the report, naming the dataset's criteria. */
    static String describe(List<Criterion> criteria) {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < criteria.size(); i++) {
            Criterion c = criteria.get(i);
            names.append(i == 0 ? "" : i == criteria.size() - 1 ? " then " : ", ").append(c.metric()).append(" (")
                    .append(switch (c.noise()) {
                        case ONE_UNIT -> "noise 1";
                        case BINOMIAL -> "noise 2 sqrt(p(1-p)/n)";
                        case FLOOR -> "noise = its real-data floor";
                    }).append(')');
        }
        return String.format(Locale.ROOT, "Verdicts (vs_ddim: against the teacher's DDIM at the same NFE; vs_ddim50: "
                + "against its DDIM-%d reference sampler; vs_ddpm: against its ancestral DDPM reference row) compare %s: a metric counts as better or worse only when "
                + "the difference exceeds max(noise, 2 x the larger spread over seeds), after clipping shares and counts at "
                + "their real-data value (nothing is better than real data); the first two decide together "
                + "(one better and none worse: better; one worse and none better: worse; both: mixed), later ones only "
                + "break a tie (the verdict then names the metric), and otherwise the verdict is 'within noise'. Other columns (e.g. mmd, sliced_w2) are shown "
                + "but never decide: at this sample size distances sit near their own real-data floor.", Dataset.TEACHER_ODE_STEPS, names);
    }

    /**
     * A value no better than real data: beyond the floor (e.g. an hq_fraction above real data's, by
     * collapsing onto mode centres) is not an improvement, so the comparison clips there.
     */
    static double capped(Criterion c, double v, double floor) {
        if (!Double.isFinite(floor) || c.noise() == Criterion.Noise.FLOOR) {
            return v;
        }
        return c.higherIsBetter() ? Math.min(v, floor) : Math.max(v, floor);
    }

    private static double finiteOrZero(double v) {
        return Double.isFinite(v) ? v : 0.0;
    }
}
