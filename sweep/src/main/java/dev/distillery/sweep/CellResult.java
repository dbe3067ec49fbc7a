package dev.distillery.sweep;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What a task hands back for one cell.
 *
 * @param rows     one per sample step count (a reference cell: the floor, then the teacher's rows)
 * @param failures what failed, one line each
 * @param seconds  the cell's wall time on its executor
 */
public record CellResult(Cell cell, List<ResultRow> rows, List<String> failures, double seconds) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public CellResult {
        // plain ArrayLists: they serialise with no surprises, unlike List.of's internal classes across versions
        rows = new ArrayList<>(rows);
        failures = new ArrayList<>(failures);
    }
}
