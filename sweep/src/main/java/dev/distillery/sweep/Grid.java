package dev.distillery.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * A study: every method at every budget and batch size, repeated over seeds, plus one reference cell
 * per seed. The same grid always lists the same cells in the same order.
 *
 * @param methods registered method names, in the order of the report
 * @param batches the training batch sizes to try (the one setting every method takes; a method's
 *                other hyperparameters are its paper's defaults, which the registry fixes)
 * @param samples evaluation samples per cell
 */
public record Grid(String dataset, List<String> methods, List<Long> seeds, List<Budget> budgets, List<Integer> batches,
                   int samples) {
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
    }

    /** The cells: per seed its reference cell, then method x budget x batch. */
    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (long seed : seeds) {
            cells.add(Cell.reference(seed, samples));
            for (String m : methods) {
                for (Budget b : budgets) {
                    for (int batch : batches) {
                        cells.add(new Cell(m, seed, b.token(), b.steps(m), batch, samples));
                    }
                }
            }
        }
        return cells;
    }
}
