package dev.distillery.cli.report;

import dev.distillery.autograd.io.Json;
import dev.distillery.diffusion.identities.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code distillery audit} prints: per identity, the input that came closest to its tolerance
 * (its error, the tolerance, the share used, the verdict, the input in its readable form and where
 * it came from), as an aligned table or as a JSON list.
 */
public final class AuditTable {
    /** Longest input text in the table; the JSON prints it whole. */
    static final int MAX_INPUT_CHARS = 240;

    private AuditTable() {
    }

    /** The JSON list, one object per identity's closest input. */
    public static String json(List<Finding<?>> closest) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < closest.size(); i++) {
            Finding<?> f = closest.get(i);
            sb.append(i == 0 ? "\n  " : ",\n  ")
                    .append("{\"id\":").append(Json.string(f.identity().id()))
                    .append(",\"name\":").append(Json.string(f.identity().name()))
                    .append(",\"equation\":").append(Json.string(f.identity().equation()))
                    .append(",\"worst_error\":").append(Json.number(f.error()))
                    .append(",\"tolerance\":").append(Json.number(f.tolerance()))
                    .append(",\"verdict\":").append(Json.string(f.holds() ? "pass" : "fail"))
                    .append(",\"tolerance_used\":").append(Json.number(f.share()))
                    .append(",\"closest_input\":").append(Json.string(String.valueOf(f.input())))
                    .append(",\"origin\":").append(Json.string(f.origin()))
                    .append('}');
        }
        return sb.append("\n]\n").toString();
    }

    /** The table, one row per identity's closest input, and a line that counts the identities that hold. */
    public static String text(List<Finding<?>> closest, int tries, long seed) {
        String[] header = {"identity", "worst error", "tolerance", "used", "verdict", "closest input (origin)"};
        List<String[]> rows = new ArrayList<>();
        for (Finding<?> f : closest) {
            rows.add(new String[] {f.identity().id(), MetricsTable.format(f.error()), MetricsTable.format(f.tolerance()),
                    share(f.share()),
                    f.holds() ? "pass" : "FAIL", shorten(String.valueOf(f.input())) + "   (" + f.origin() + ")"});
        }
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
            for (String[] row : rows) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header, width);
        appendRow(sb, rule(width, header[header.length - 1].length()), width);
        rows.forEach(row -> appendRow(sb, row, width));
        long failed = closest.stream().filter(f -> !f.holds()).count();
        sb.append(closest.size() - failed).append(" of ").append(closest.size())
                .append(" identities hold within tolerance over their edge cases and ").append(tries)
                .append(" generated inputs each (seed ").append(seed).append("; scalar backend, float64)")
                .append(failed == 0 ? "" : "; " + failed + " FAIL").append('\n');
        return sb.toString();
    }

    /** The share of the tolerance used: "35 %" up to 100 times the tolerance, then "2.500e+03 x", or "inf". */
    static String share(double used) {
        if (Double.isInfinite(used)) {
            return "inf";
        }
        return used <= 100 ? String.format(Locale.ROOT, "%.0f %%", 100 * used) : MetricsTable.format(used) + " x";
    }

    /** The input's text, cut to {@link #MAX_INPUT_CHARS} with a note of how much was left out. */
    static String shorten(String input) {
        return input.length() <= MAX_INPUT_CHARS ? input
                : input.substring(0, MAX_INPUT_CHARS) + "... (" + (input.length() - MAX_INPUT_CHARS)
                        + " more characters; --json prints it whole)";
    }

    /** Dashes under each column; under the last (unpadded) one, as long as its header. */
    private static String[] rule(int[] width, int last) {
        String[] r = new String[width.length];
        for (int c = 0; c < width.length; c++) {
            r[c] = "-".repeat(c == width.length - 1 ? last : width[c]);
        }
        return r;
    }

    /** The number columns right-aligned, the text columns left-aligned, the last one unpadded. */
    private static void appendRow(StringBuilder sb, String[] cells, int[] width) {
        for (int c = 0; c < cells.length; c++) {
            boolean number = c >= 1 && c <= 3;
            String cell = cells[c];
            String pad = " ".repeat(width[c] - cell.length());
            sb.append(c == 0 ? "" : "  ").append(number ? pad + cell : c == cells.length - 1 ? cell : cell + pad);
        }
        sb.append('\n');
    }
}
