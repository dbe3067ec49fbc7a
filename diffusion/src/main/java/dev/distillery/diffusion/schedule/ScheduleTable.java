package dev.distillery.diffusion.schedule;

import java.util.List;

/**
 * The rows t = 1..T of a discrete schedule with the columns {@code t, beta, alpha_bar, alpha,
 * sigma, log_snr} (MATH.md section 0), as CSV or JSON: what {@code distillery schedule} prints.
 * Numbers are written with {@link Double#toString(double)}, which round-trips every double exactly.
 */
public final class ScheduleTable {
    /** Column names, in order; the CSV header and the JSON keys. */
    public static final List<String> COLUMNS = List.of("t", "beta", "alpha_bar", "alpha", "sigma", "log_snr");

    private final DiscreteSchedule schedule;

    private ScheduleTable(DiscreteSchedule schedule) {
        this.schedule = schedule;
    }

    /** A table over the schedule's steps 1..T (the schedule is not modified). */
    public static ScheduleTable of(DiscreteSchedule schedule) {
        return new ScheduleTable(schedule);
    }

    /** Number of rows, T. */
    public int rows() {
        return schedule.steps();
    }

    /** The value of one cell: column is one of {@link #COLUMNS}, t in 1..T. */
    public double value(String column, int t) {
        switch (column) {
            case "t": return t;
            case "beta": return schedule.beta(t);
            case "alpha_bar": return schedule.alphaBar(t);
            case "alpha": return schedule.alpha(t);
            case "sigma": return schedule.sigma(t);
            case "log_snr": return schedule.logSnr(t);
            default: throw new IllegalArgumentException(
                    "column = " + column + " is not one of " + COLUMNS);
        }
    }

    /**
     * CSV with a header line {@code t,beta,alpha_bar,alpha,sigma,log_snr}, one line per step, '\n'
     * line ends; non-finite values print as Java does ({@code -Infinity} for a zero terminal SNR).
     */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (int t = 1; t <= rows(); t++) {
            sb.append(t);
            for (int c = 1; c < COLUMNS.size(); c++) {
                sb.append(',').append(Double.toString(value(COLUMNS.get(c), t)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * A JSON object with one array per column, keys as in {@link #COLUMNS}, e.g.
     * {@code {"t":[1,2],"beta":[1.0E-4,0.02],...}}. JSON has no infinities, so a non-finite value
     * (log_snr = -Infinity at a zero terminal SNR) is written as {@code null}.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        for (int c = 0; c < COLUMNS.size(); c++) {
            String column = COLUMNS.get(c);
            sb.append(c == 0 ? "" : ",").append('"').append(column).append("\":[");
            for (int t = 1; t <= rows(); t++) {
                if (t > 1) {
                    sb.append(',');
                }
                if (c == 0) {
                    sb.append(t);
                } else {
                    double v = value(column, t);
                    sb.append(Double.isFinite(v) ? Double.toString(v) : "null");
                }
            }
            sb.append(']');
        }
        return sb.append('}').toString();
    }
}
