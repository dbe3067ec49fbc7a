package dev.distillery.sweep;

import dev.distillery.cli.GridCell;
import dev.distillery.distill.MethodSettings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A study: every method at every one of its settings, budget and batch size, repeated over seeds,
 * plus one reference cell per seed. The same grid always lists the same cells in the same order.
 *
 * @param methods  registered method names, in the order of the report
 * @param settings per method, per knob of it, the values to try ({@code cd -> mu -> [0.95, 0.99]}):
 *                 each combination of one value per knob is a setting of the method, a cell
 *                 coordinate of its own; a method with none runs its recipe as registered
 * @param batches  the training batch sizes to try
 * @param samples  evaluation samples per cell
 */
public record Grid(String dataset, List<String> methods, Map<String, Map<String, List<String>>> settings, List<Long> seeds,
                   List<Budget> budgets, List<Integer> batches, int samples) {
    public Grid {
        methods = List.copyOf(methods);
        seeds = List.copyOf(seeds);
        budgets = List.copyOf(budgets);
        batches = List.copyOf(batches);
        if (methods.isEmpty() || seeds.isEmpty() || budgets.isEmpty() || batches.isEmpty()) {
            throw new IllegalArgumentException("a grid needs at least one method, seed, budget and batch size");
        }
        if (samples < 2) {
            throw new IllegalArgumentException("--samples must be at least 2 (the metrics compare sample sets), got " + samples);
        }
        for (int b : batches) {
            if (b < 1) {
                throw new IllegalArgumentException("--batches must be at least 1, got " + b);
            }
        }
        Map<String, Map<String, List<String>>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, List<String>>> e : settings.entrySet()) {
            String m = e.getKey();
            if (!methods.contains(m)) {
                throw new IllegalArgumentException("--settings names " + m + ", which is not among the grid's methods ("
                        + String.join(", ", methods) + ")");
            }
            Map<String, List<String>> k = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> v : e.getValue().entrySet()) {
                if (v.getValue().isEmpty()) {
                    throw new IllegalArgumentException("--settings " + m + "." + v.getKey() + " has no values");
                }
                k.put(v.getKey(), List.copyOf(v.getValue()));
            }
            copy.put(m, Collections.unmodifiableMap(k));
        }
        settings = Collections.unmodifiableMap(copy);
        for (String m : settings.keySet()) {
            settingsOf(m, settings); // every combination is checked against the method's knobs here, before anything runs
        }
    }

    /** A grid in which every method runs its recipe as registered. */
    public Grid(String dataset, List<String> methods, List<Long> seeds, List<Budget> budgets, List<Integer> batches, int samples) {
        this(dataset, methods, Map.of(), seeds, budgets, batches, samples);
    }

    /**
     * The settings of {@code method} as canonical labels ({@code mu=0.99}), in grid order: the
     * combinations of its knobs' values, the first knob slowest; {@code [""]} (the recipe) when it
     * has none. Equal combinations ({@code 0.99} and {@code 0.990}) are one setting.
     */
    public List<String> settingsOf(String method) {
        return settingsOf(method, settings);
    }

    private static List<String> settingsOf(String method, Map<String, Map<String, List<String>>> settings) {
        Map<String, List<String>> knobs = settings.get(method);
        if (knobs == null || knobs.isEmpty()) {
            return List.of("");
        }
        List<Map<String, String>> combos = new ArrayList<>(List.of(new LinkedHashMap<>()));
        knobs.forEach((key, values) -> {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combos) {
                for (String v : values) {
                    Map<String, String> more = new LinkedHashMap<>(c);
                    more.put(key, v);
                    next.add(more);
                }
            }
            combos.clear();
            combos.addAll(next);
        });
        Set<String> labels = new LinkedHashSet<>();
        for (Map<String, String> c : combos) {
            labels.add(GridCell.checkSettings(method, MethodSettings.of(c)).label());
        }
        return List.copyOf(labels);
    }

    /** The cells: per seed its reference cell, then method x setting x budget x batch. */
    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (long seed : seeds) {
            cells.add(Cell.reference(seed, samples));
            for (String m : methods) {
                for (String setting : settingsOf(m)) {
                    for (Budget b : budgets) {
                        for (int batch : batches) {
                            cells.add(new Cell(m, setting, seed, b.token(), b.steps(m), batch, samples));
                        }
                    }
                }
            }
        }
        return cells;
    }

    /**
     * The {@code --settings} flags ({@code cd.mu=0.95,0.99}, one method and knob each; a config
     * file's {@code "settings": {"cd": {"mu": [0.95, 0.99]}}} expands to them) as a settings map.
     */
    public static Map<String, Map<String, List<String>>> parseSettings(List<String> flags) {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        for (String f : flags == null ? List.<String>of() : flags) {
            int dot = f.indexOf('.');
            int eq = f.indexOf('=');
            if (dot <= 0 || eq <= dot + 1 || eq == f.length() - 1) {
                throw new IllegalArgumentException("--settings takes METHOD.KEY=V1,V2,... (cd.mu=0.95,0.99), got '" + f + "'");
            }
            String method = f.substring(0, dot).strip();
            String key = f.substring(dot + 1, eq).strip();
            List<String> values = new ArrayList<>();
            for (String v : f.substring(eq + 1).split(",")) {
                if (v.isBlank()) {
                    throw new IllegalArgumentException("--settings " + method + "." + key + " has an empty value in '" + f + "'");
                }
                values.add(v.strip());
            }
            if (out.computeIfAbsent(method, k -> new LinkedHashMap<>()).put(key, values) != null) {
                throw new IllegalArgumentException("--settings gives " + method + "." + key + " twice");
            }
        }
        return out;
    }
}
