package dev.distillery.sweep;

import dev.distillery.autograd.Backends;
import dev.distillery.cli.GridCell;
import dev.distillery.cli.ShippedTeacher;
import dev.distillery.cli.report.MetricsTable;
import dev.distillery.distill.MethodSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs one cell where Spark put it. The engine runs on the task's thread alone
 * ({@link Backends#callerThreadOnly()}): Spark already runs one task per core, and a kernel's
 * result does not depend on how many threads share it, so a cell's numbers are the same under
 * {@code local[1]}, {@code local[*]} and on a cluster.
 */
final class CellTask {
    private CellTask() {
    }

    static CellResult run(ShippedTeacher teacher, Cell cell) {
        long start = System.nanoTime();
        GridCell.Outcome outcome;
        try (Backends.Scope ignored = Backends.callerThreadOnly()) {
            outcome = cell.isReference() ? GridCell.references(teacher, cell.seed(), cell.samples())
                    : GridCell.method(teacher, cell.method(), MethodSettings.parse(cell.setting()), cell.seed(), cell.steps(),
                    cell.batch(), cell.samples());
        }
        List<ResultRow> rows = new ArrayList<>();
        for (MetricsTable.Row r : outcome.table().rows()) {
            rows.add(new ResultRow(r.method(), r.steps(), r.metrics(), r.trainSeconds(), r.sampleSeconds()));
        }
        return new CellResult(cell, rows, outcome.failures(), (System.nanoTime() - start) / 1e9);
    }
}
