package dev.distillery.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep's parts that need no Spark: budgets, the grid's cells, the stored cells, the spread over seeds. */
class SweepPiecesTest {

    @Test
    void budgetsAreStepsOrSharesOfTheRecipe() {
        assertEquals(300, new Budget("300").steps("cd"));
        Budget half = new Budget("0.5X");
        assertEquals("0.5x", half.token());
        assertTrue(half.relative());
        assertEquals(Math.max(1, Math.round(dev.distillery.cli.GridCell.recipeSteps("cd") * 0.5)), half.steps("cd"));
        assertThrows(IllegalArgumentException.class, () -> new Budget("2.5"));
        assertThrows(IllegalArgumentException.class, () -> new Budget("-1x"));
        assertThrows(IllegalArgumentException.class, () -> new Budget("lots"));
    }

    @Test
    void aGridListsAReferenceCellPerSeedThenEveryCombination() {
        Grid g = new Grid("25gaussians", List.of("cd", "sds"), List.of(0L, 1L), List.of(new Budget("10"), new Budget("20")),
                List.of(32, 64), 16);
        List<Cell> cells = g.cells();
        assertEquals(2 * (1 + 2 * 2 * 2), cells.size());
        assertTrue(cells.get(0).isReference());
        assertEquals(cells.size(), cells.stream().map(Cell::id).distinct().count(), "cell ids are unique");
    }

    @Test
    void aStoredCellReadsBackBitForBit() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("nfe", 1.0);
        metrics.put("modes", 24.0);
        metrics.put("sliced_w2", 0.1 + 0.2);
        metrics.put("mmd", Double.NaN);
        CellResult r = new CellResult(new Cell("cd", 3, "0.5x", 1234, 128, 500),
                List.of(new ResultRow("cd", 1, metrics, 12.5, 0.25)), List.of("cd: sampling at 4 steps failed, \"quoted\""), 13.0);
        CellResult back = ResultStore.fromJson(dev.distillery.autograd.io.Json.parse(
                dev.distillery.autograd.io.Json.write(ResultStore.toJson(r))));
        assertEquals(r.cell(), back.cell());
        assertEquals(r.failures(), back.failures());
        for (String m : metrics.keySet()) {
            assertEquals(Double.doubleToLongBits(metrics.get(m)), Double.doubleToLongBits(back.rows().get(0).metric(m)), m);
        }
    }

    @Test
    void spreadIsAStudentTIntervalOverTheFiniteSeeds() {
        SeedSpread s = SeedSpread.of(new double[] {1, 2, 3, Double.NaN});
        assertEquals(2.0, s.mean(), 1e-12);
        assertEquals(3, s.n());
        // t(0.975, 2) = 4.302653, sd = 1
        assertEquals(4.302653 / Math.sqrt(3), s.half(), 1e-5);
        assertTrue(Double.isNaN(SeedSpread.of(new double[] {5}).half()));
    }
}
