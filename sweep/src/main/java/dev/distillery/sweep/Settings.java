package dev.distillery.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of a grid grouped over seeds: one {@link Setting} per (row name, method settings,
 * budget, batch, sample steps), each metric's {@link SeedSpread} over the seeds that ran it.
 * Reference rows ({@code real-data}, {@code teacher-ddim50}, {@code teacher-ddpm1000},
 * {@code teacher-ddim}) group by name and sample steps alone.
 */
final class Settings {
    private Settings() {
    }

    /**
     * One setting over its seeds.
     *
     * @param setting     the method's settings over its recipe ({@code mu=0.99}; empty: the recipe, and reference rows)
     * @param trainSteps  the training steps the budget gave (0 for reference rows)
     * @param trainSeconds mean training seconds
     */
    record Setting(String name, String setting, String budget, int batch, int sampleSteps, int trainSteps, boolean reference,
                   Map<String, SeedSpread> metrics, double trainSeconds, int seeds) {
        SeedSpread metric(String m) {
            return metrics.getOrDefault(m, new SeedSpread(Double.NaN, Double.NaN, 0));
        }

        /** The name with the setting: {@code cd} or {@code cd mu=0.99}, for legends. */
        String label() {
            return setting.isEmpty() ? name : name + " " + setting;
        }
    }

    /** The settings of {@code results}, in the order they first appear (grid order). */
    static List<Setting> of(List<CellResult> results) {
        Map<String, List<ResultRow>> rows = new LinkedHashMap<>();
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (CellResult r : results) {
            for (ResultRow row : r.rows()) {
                Cell c = r.cell();
                String key = c.isReference() ? row.name() + "|" + row.sampleSteps()
                        : row.name() + "|" + c.setting() + "|" + c.budget() + "|" + c.batch() + "|" + row.sampleSteps();
                rows.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
                cells.putIfAbsent(key, c);
            }
        }
        List<Setting> out = new ArrayList<>();
        for (Map.Entry<String, List<ResultRow>> e : rows.entrySet()) {
            List<ResultRow> group = e.getValue();
            Cell c = cells.get(e.getKey());
            Map<String, SeedSpread> metrics = new LinkedHashMap<>();
            for (String m : group.get(0).metrics().keySet()) {
                metrics.put(m, SeedSpread.of(group.stream().mapToDouble(r -> r.metric(m)).toArray()));
            }
            // a failed first seed has no metric names: take them from any row that has them
            for (ResultRow r : group) {
                for (String m : r.metrics().keySet()) {
                    metrics.computeIfAbsent(m, k -> SeedSpread.of(group.stream().mapToDouble(x -> x.metric(k)).toArray()));
                }
            }
            double train = group.stream().mapToDouble(ResultRow::trainSeconds).filter(Double::isFinite).average().orElse(Double.NaN);
            ResultRow first = group.get(0);
            out.add(new Setting(first.name(), c.setting(), c.budget(), c.batch(), first.sampleSteps(), c.steps(), c.isReference(),
                    metrics, train, group.size()));
        }
        return out;
    }
}
