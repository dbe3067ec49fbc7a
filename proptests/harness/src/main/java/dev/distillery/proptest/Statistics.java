package dev.distillery.proptest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a property generated, counted by labels the check gives: a passing property says nothing
 * about inputs it never saw, so a researcher wants to know that, say, only 2 % of the times drawn
 * lay near 0.
 *
 * <pre>{@code
 * Property.forAll(Gens.doubles(0, 1)).statistics(true).check(t -> {
 *     Statistics.collect(t < 1e-3 ? "near 0" : t > 1 - 1e-3 ? "near 1" : "interior");
 *     ...
 * });
 * }</pre>
 *
 * <p>{@link #collect} counts a label for the try being evaluated; several calls in one try count
 * several labels ({@code collect("rank " + r); collect(dtype)}). Calls made while shrinking, or
 * outside a running property, are ignored, so the counts describe the tries exactly once each.
 * The runner prints the {@link Report} to standard output when the property asks
 * ({@code statistics(true)}, or {@code @Property(statistics = true)}) or when
 * {@value #PRINT_PROPERTY} is set to {@code true}; {@link #lastReport} gives it to code.
 */
public final class Statistics {
    /** System property that prints the statistics of every property: {@code -Ddistillery.prop.stats=true}. */
    public static final String PRINT_PROPERTY = "distillery.prop.stats";

    /** The collector of the property running on this thread, or null (why thread-local: the check is a lambda with no handle on its runner). */
    private static final ThreadLocal<Collector> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Report> LAST = new ThreadLocal<>();

    private Statistics() {
    }

    /** Counts {@code label} for the current try; a no-op outside a running property and while shrinking. */
    public static void collect(Object label) {
        Collector c = CURRENT.get();
        if (c != null && c.active) {
            c.tryLabels.add(String.valueOf(label));
        }
    }

    /** The report of the last property that ran on this thread (empty counts if it collected nothing). */
    public static Report lastReport() {
        Report r = LAST.get();
        if (r == null) {
            throw new IllegalStateException("no property has run on this thread");
        }
        return r;
    }

    /**
     * The counts of one property run.
     *
     * @param property the property's name
     * @param tries the tries (edge cases and random values) that were counted
     * @param counts how many tries collected each label, most frequent first
     */
    public record Report(String property, int tries, Map<String, Integer> counts) {
        /** The share of counted tries that collected {@code label}, in [0, 1]. */
        public double fraction(String label) {
            return tries == 0 ? 0 : counts.getOrDefault(label, 0) / (double) tries;
        }

        /** A table: one line per label with its count and percentage, as printed. */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("Statistics of '").append(property).append("' (")
                    .append(tries).append(" tries):");
            if (counts.isEmpty()) {
                b.append("\n  (nothing collected: call Statistics.collect(label) in the check)");
            }
            int width = counts.keySet().stream().mapToInt(String::length).max().orElse(0);
            counts.forEach((label, n) -> b.append(String.format("%n  %-" + width + "s  %6d  %5.1f %%",
                    label, n, 100.0 * n / Math.max(1, tries))));
            return b.toString();
        }
    }

    static boolean printRequested() {
        return Boolean.parseBoolean(System.getProperty(PRINT_PROPERTY, "false"));
    }

    /** Counts for one run; the runner opens it around each counted try. */
    static final class Collector {
        private final Map<String, Integer> counts = new LinkedHashMap<>();
        private final List<String> tryLabels = new ArrayList<>();
        private int tries;
        private boolean active;
        private final Collector outer = CURRENT.get();

        Collector() {
            CURRENT.set(this);
        }

        void beginTry() {
            tryLabels.clear();
            active = true;
        }

        /** Ends a try; a label collected twice in one try counts once, so counts are numbers of tries. */
        void endTry(boolean counted) {
            active = false;
            if (counted) {
                tries++;
                tryLabels.stream().distinct().forEach(l -> counts.merge(l, 1, Integer::sum));
            }
        }

        Report close(String property) {
            // Restore the outer collector: a property checked inside another's check must not steal its counts.
            CURRENT.set(outer);
            List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
            sorted.sort((a, b) -> Integer.compare(b.getValue(), a.getValue()));
            Map<String, Integer> ordered = new LinkedHashMap<>();
            sorted.forEach(e -> ordered.put(e.getKey(), e.getValue()));
            Report r = new Report(Objects.requireNonNull(property), tries, java.util.Collections.unmodifiableMap(ordered));
            LAST.set(r);
            return r;
        }
    }
}
