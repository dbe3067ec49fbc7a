package dev.distillery.sweep;

import dev.distillery.cli.ShippedTeacher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweep's parts that need no Spark: budgets, the grid's cells and settings, the stored cells,
 * the grouping over seeds, the spread over seeds, one cell run on this thread.
 */
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
    void settingsAreCellCoordinatesAndRecipeCellsKeepTheirIds() {
        Map<String, Map<String, List<String>>> settings = Grid.parseSettings(List.of("cd.n=18,40", "cd.mu=0.95,0.990",
                "sds.lr=0.001,1e-3"));
        Grid g = new Grid("25gaussians", List.of("cd", "sds", "ct"), settings, List.of(0L, 1L), List.of(new Budget("10")),
                List.of(32), 16);
        // knob order (mu before n), canonical values, the first knob given slowest; equal values are one setting
        assertEquals(List.of("mu=0.95,n=18", "mu=0.99,n=18", "mu=0.95,n=40", "mu=0.99,n=40"), g.settingsOf("cd"));
        assertEquals(List.of("lr=0.001"), g.settingsOf("sds"));
        assertEquals(List.of(""), g.settingsOf("ct"));
        List<Cell> cells = g.cells();
        assertEquals(2 * (1 + 4 + 1 + 1), cells.size());
        assertEquals(cells.size(), cells.stream().map(Cell::id).distinct().count(), "cell ids are unique");
        assertEquals("cd_mu=0.99_n=18_seed0_budget10_steps10_batch32_n16", cells.get(2).id());
        assertEquals("cd mu=0.99,n=18", cells.get(2).label());
        // a cell without settings has the id it had before settings existed: old folders resume
        Cell recipe = cells.stream().filter(c -> "ct".equals(c.method()) && c.seed() == 1).findFirst().orElseThrow();
        assertEquals("ct_seed1_budget10_steps10_batch32_n16", recipe.id());
        assertEquals(new Cell("ct", 1, "10", 10, 32, 16), recipe);
        // the setting is a coordinate, not part of the seed: the same seeds and budgets for every setting
        assertEquals(cells.stream().filter(c -> "cd".equals(c.method())).map(c -> c.seed() + "/" + c.steps()).distinct().count(), 2);
    }

    @Test
    void badSettingsFailBeforeAnythingRunsNamingMethodKeyAndValidKeys() {
        List<String> methods = List.of("cd", "sds");
        var unknown = assertThrows(IllegalArgumentException.class, () -> grid(methods, "cd.muu=0.9"));
        assertEquals("cd has no setting 'muu'; cd's settings: mu, n, sigma-max, lr, decay", unknown.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> grid(methods, "cd.mu=0.9,1.5"));
        assertEquals("cd setting mu=1.5 is not a number in [0, 1); cd's settings: mu, n, sigma-max, lr, decay", bad.getMessage());
        var absent = assertThrows(IllegalArgumentException.class, () -> grid(methods, "guided.w=1,3"));
        assertTrue(absent.getMessage().contains("guided, which is not among the grid's methods (cd, sds)"), absent.getMessage());
        for (String malformed : List.of("cd", "cd.mu", "mu=0.9", "cd.=0.9", "cd.mu=", "cd.mu=0.9,,0.95")) {
            assertThrows(IllegalArgumentException.class, () -> Grid.parseSettings(List.of(malformed)), malformed);
        }
        assertThrows(IllegalArgumentException.class, () -> Grid.parseSettings(List.of("cd.mu=0.9", "cd.mu=0.95")));
    }

    private static Grid grid(List<String> methods, String... settings) {
        return new Grid("25gaussians", methods, Grid.parseSettings(List.of(settings)), List.of(0L), List.of(new Budget("10")),
                List.of(32), 16);
    }

    @Test
    void settingsGroupApartAndEachHasItsBestRowWithItsSettingColumn() {
        List<CellResult> results = new ArrayList<>();
        for (long seed : new long[] {0, 1}) {
            for (String setting : List.of("mu=0.9", "mu=0.99")) {
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("nfe", 1.0);
                m.put("modes", setting.equals("mu=0.9") ? 10.0 + seed : 20.0 + seed);
                m.put("hq_fraction", 0.5);
                m.put("sliced_w2", 0.2);
                results.add(new CellResult(new Cell("cd", setting, seed, "10", 10, 32, 16), List.of(new ResultRow("cd", 1, m, 1, 1)),
                        List.of(), 1));
            }
        }
        List<Settings.Setting> grouped = Settings.of(results);
        assertEquals(2, grouped.size());
        assertEquals("mu=0.9", grouped.get(0).setting());
        assertEquals(10.5, grouped.get(0).metric("modes").mean(), 1e-12);
        assertEquals(20.5, grouped.get(1).metric("modes").mean(), 1e-12);
        assertEquals(2, grouped.get(1).seeds());
        String best = SweepReport.best("25gaussians", grouped).toCsv();
        assertTrue(best.lines().anyMatch(l -> l.startsWith("cd,1,") && l.contains(",mu=0.9,")), best);
        assertTrue(best.lines().anyMatch(l -> l.startsWith("cd,1,") && l.contains(",mu=0.99,")), best);
        String csv = SweepTables.table(results).toCsv();
        assertTrue(csv.lines().findFirst().orElseThrow().contains(",cell,setting,seed,"), csv);
        assertTrue(csv.contains(",cd_mu=0.99_seed1_budget10_steps10_batch32_n16,mu=0.99,1,"), csv);
    }

    @Test
    void aStoredReferenceCellWithoutTheTeacherReferenceSamplersIsRunAgain() {
        Map<String, Double> m = Map.of("nfe", 1.0);
        CellResult old = new CellResult(Cell.reference(0, 16), List.of(new ResultRow("real-data", 0, m, 0, 0),
                new ResultRow("teacher-ddim", 1, m, 0, 0)), List.of(), 1);
        CellResult now = new CellResult(Cell.reference(0, 16), List.of(new ResultRow("real-data", 0, m, 0, 0),
                new ResultRow("teacher-ddim50", 50, m, 0, 0), new ResultRow("teacher-ddpm1000", 1000, m, 0, 0)), List.of(), 1);
        assertFalse(Sweep.current(old));
        assertTrue(Sweep.current(now));
        assertTrue(Sweep.current(new CellResult(new Cell("cd", 0, "10", 10, 32, 16), List.of(), List.of(), 1)));
    }

    @Test
    void theBundledDigitsTeacherShipsByNameAndEveryTaskLoadsItsOwnJarsCopy() throws Exception {
        ShippedTeacher teacher = new TeacherChoice("bundled", null, null, null, 0).obtain("digits", false,
                dev.distillery.cli.progress.Progress.NONE);
        assertEquals(0, teacher.bytes(), "the weights travel in the jar, not in the task");
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(buffer)) {
            out.writeObject(teacher);
        }
        ShippedTeacher task;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(buffer.toByteArray()))) {
            task = (ShippedTeacher) in.readObject();
        }
        assertTrue(task.description().startsWith("U-Net bundled with Distillery"), task.description());
        CellResult cell = CellTask.run(task, new Cell("cd", 0, "2", 2, 4, 8));
        assertEquals(List.of(), cell.failures());
    }

    @Test
    void aSettingAtTheRecipesValueGivesTheRecipesCellBitForBit() {
        // the training stream is the method's of the seed whatever the settings: a setting changes only what it sets
        ShippedTeacher teacher = new TeacherChoice("analytic", null, null, null, 0).obtain("25gaussians", false,
                dev.distillery.cli.progress.Progress.NONE);
        String lr = dev.distillery.cli.GridCell.knobs("sds").stream().filter(k -> k.key().equals("lr")).findFirst().orElseThrow()
                .defaultValue();
        CellResult recipe = CellTask.run(teacher, new Cell("sds", 2, "5", 5, 16, 32));
        CellResult same = CellTask.run(teacher, new Cell("sds", "lr=" + lr, 2, "5", 5, 16, 32));
        CellResult other = CellTask.run(teacher, new Cell("sds", "lr=0.01", 2, "5", 5, 16, 32));
        assertEquals(List.of(), recipe.failures());
        for (int r = 0; r < recipe.rows().size(); r++) {
            for (String k : recipe.rows().get(r).metrics().keySet()) {
                assertEquals(Double.doubleToLongBits(recipe.rows().get(r).metric(k)), Double.doubleToLongBits(same.rows().get(r).metric(k)),
                        "row " + r + " " + k);
            }
        }
        assertTrue(recipe.rows().stream().anyMatch(row -> row.metric("sliced_w2") != other.rows().get(recipe.rows().indexOf(row))
                .metric("sliced_w2")), "lr=0.01 changed nothing");
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
        assertFalse(dev.distillery.autograd.io.Json.write(ResultStore.toJson(r)).contains("setting"),
                "a recipe cell is stored as before settings existed");
        CellResult withSetting = new CellResult(new Cell("cd", "mu=0.99,n=18", 3, "0.5x", 1234, 128, 500), r.rows(), r.failures(), 1);
        assertEquals(withSetting.cell(), ResultStore.fromJson(dev.distillery.autograd.io.Json.parse(
                dev.distillery.autograd.io.Json.write(ResultStore.toJson(withSetting)))).cell());
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
