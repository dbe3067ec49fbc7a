package dev.distillery.cli.command;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.io.Json;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.report.MetricsTable;
import dev.distillery.diffusion.identities.Finding;
import dev.distillery.diffusion.identities.Identities;
import dev.distillery.diffusion.identities.Identity;
import dev.distillery.identities.IdentityCatalog;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the identity catalogue I1-I19 (MATH.md; {@link IdentityCatalog}) on the scalar oracle
 * backend, the backend the tolerances were derived for, over each identity's own inputs: its edge
 * cases (t near 0 and 1, alpha_bar near 0 and 1, the smallest and largest shapes, outliers), then
 * {@code --tries N} random inputs drawn from {@code --seed}. Prints one row per identity: the input
 * that came closest to its tolerance (the largest share of the tolerance derived for that input),
 * that input's error and tolerance, the share, the verdict, and the input itself in its readable
 * form (schedule, times, shape, data). Exit code 1 when any identity fails, so CI can run it as a
 * check.
 *
 * <p>The input is printed, not only where it came from: it is what a reader needs to see why an
 * identity is close to its tolerance (T = 1000 at t = T, a point a million away from the data),
 * and a failing one is the counterexample. The origin ("edge case 3", "try 17 of seed 1") replays
 * it ({@link Identities#edgeCases}, {@link Identities#draw}); the catalogue's property test
 * ({@code CatalogPropertyTest}) shrinks a failing input to the simplest one.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Check the identities I1-I19 of docs/MATH.md over their edge cases and generated inputs;"
                + " print the input that came closest to its tolerance; exit 1 if any fails.")
final class AuditCommand implements Callable<Integer> {

    /** Exit code when an identity exceeds its tolerance. */
    static final int FAILED = 1;

    /** Longest input text in the table; {@code --json} prints it whole. */
    static final int MAX_INPUT_CHARS = 240;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON list instead of a table.")
    boolean json;

    @Option(names = "--tries", defaultValue = "100",
            description = "Random inputs per identity after its edge cases (default ${DEFAULT-VALUE});"
                    + " raise for a deeper search.")
    int tries;

    @Option(names = "--seed", defaultValue = "1",
            description = "Seed of the random inputs (default ${DEFAULT-VALUE}); the same seed and tries give the same inputs.")
    long seed;

    @Option(names = "--only", split = ",", paramLabel = "ID",
            description = "Run only these identities, e.g. I7,I14.")
    List<String> only;

    /**
     * One identity's outcome: the input that came closest to (or beyond) its tolerance.
     *
     * @param closest that input, its error and tolerance, and where it came from
     */
    record Result(Finding<?> closest) {
        Identity<?> identity() {
            return closest.identity();
        }

        boolean passed() {
            return closest.holds();
        }

        /** The error as a share of the tolerance: 0.5 is half the budget; for tolerance 0, 0 or infinity. */
        double toleranceUsed() {
            return closest.share();
        }
    }

    @Override
    public Integer call() {
        if (tries < 0) {
            throw new CliException("--tries must be at least 0, got " + tries);
        }
        List<Identity<?>> catalogue = selected();
        List<Result> results = new ArrayList<>();
        try (var scope = Backends.use(Backends.scalar())) {
            for (Identity<?> id : catalogue) {
                results.add(new Result(Identities.closest(id, seed, tries)));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? toJson(results) : toText(results, tries, seed));
        out.flush();
        return results.stream().allMatch(Result::passed) ? 0 : FAILED;
    }

    private List<Identity<?>> selected() {
        List<Identity<?>> all = IdentityCatalog.all();
        if (only == null || only.isEmpty()) {
            return all;
        }
        List<Identity<?>> chosen = new ArrayList<>();
        for (String id : only) {
            chosen.add(IdentityCatalog.byId(id.trim()).orElseThrow(() -> new CliException("unknown identity '" + id
                    + "' for --only; choose among " + all.stream().map(Identity::id).toList())));
        }
        return chosen;
    }

    static String toJson(List<Result> results) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            Finding<?> f = r.closest();
            sb.append(i == 0 ? "\n  " : ",\n  ")
                    .append("{\"id\":").append(Json.string(r.identity().id()))
                    .append(",\"name\":").append(Json.string(r.identity().name()))
                    .append(",\"equation\":").append(Json.string(r.identity().equation()))
                    .append(",\"worst_error\":").append(Json.number(f.error()))
                    .append(",\"tolerance\":").append(Json.number(f.tolerance()))
                    .append(",\"verdict\":").append(Json.string(r.passed() ? "pass" : "fail"))
                    .append(",\"tolerance_used\":").append(Json.number(r.toleranceUsed()))
                    .append(",\"closest_input\":").append(Json.string(String.valueOf(f.input())))
                    .append(",\"origin\":").append(Json.string(f.origin()))
                    .append('}');
        }
        return sb.append("\n]\n").toString();
    }

    static String toText(List<Result> results, int tries, long seed) {
        String[] header = {"identity", "worst error", "tolerance", "used", "verdict", "closest input (origin)"};
        List<String[]> rows = new ArrayList<>();
        for (Result r : results) {
            double used = r.toleranceUsed();
            Finding<?> f = r.closest();
            rows.add(new String[] {r.identity().id(), MetricsTable.format(f.error()), MetricsTable.format(f.tolerance()),
                    share(used),
                    r.passed() ? "pass" : "FAIL", shorten(String.valueOf(f.input())) + "   (" + f.origin() + ")"});
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
        long failed = results.stream().filter(r -> !r.passed()).count();
        sb.append(results.size() - failed).append(" of ").append(results.size())
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
