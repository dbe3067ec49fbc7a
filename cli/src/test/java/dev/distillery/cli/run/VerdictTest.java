package dev.distillery.cli.run;


import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distillery.cli.data.Criterion;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.data.Metrics;
import dev.distillery.cli.report.MetricsTable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict rule on hand-made numbers, at interior values (not only at 0 and 1). */
class VerdictTest {
    private static final List<Criterion> GAUSSIANS = Metrics.of(Dataset.GAUSSIANS25).criteria();
    /** Real-data floors of modes, hq_fraction, recall. */
    private static final List<Double> FLOOR = List.of(25.0, 0.99, 0.93);
    private static final int N = 2000;

    private static String verdict(double[] row, double[] base) {
        return verdict(row, base, 0.0, 0.0);
    }

    private static String verdict(double[] row, double[] base, double sdRow, double sdBase) {
        return Verdict.of(GAUSSIANS, values(row, sdRow), values(base, sdBase), FLOOR, N);
    }

    private static List<Verdict.Value> values(double[] v, double sd) {
        return List.of(new Verdict.Value(v[0], sd), new Verdict.Value(v[1], sd), new Verdict.Value(v[2], sd));
    }

    @Test
    void thresholdsAreTwoBinomialErrorsOneModeAndTheFloorForDistances() {
        Criterion hq = GAUSSIANS.get(1);
        // p = 0.5, n = 100: 2 sqrt(0.25 / 100) = 0.1
        assertEquals(0.1, Verdict.threshold(hq, Verdict.Value.of(0.45), Verdict.Value.of(0.55), 100, Double.NaN), 1e-12);
        assertEquals(1.0, Verdict.threshold(GAUSSIANS.get(0), Verdict.Value.of(20), Verdict.Value.of(21), N, 25), 0.0);
        // a seed spread wider than the noise takes over: 2 x the larger sd
        assertEquals(3.0, Verdict.threshold(GAUSSIANS.get(0), new Verdict.Value(20, 1.5), new Verdict.Value(21, 0.5), N, 25), 0.0);
        Criterion fd = Metrics.of(Dataset.DIGITS).criteria().get(2);
        assertEquals(0.51, Verdict.threshold(fd, Verdict.Value.of(3), Verdict.Value.of(2), N, 0.51), 0.0);
    }

    @Test
    void equalUpToNoiseIsWithinNoise() {
        // one mode fewer, hq 0.005 lower (noise at p = 0.9575, n = 2000: 0.0090), recall 0.01 lower (noise 0.0131)
        assertEquals(Verdict.WITHIN_NOISE, verdict(new double[] {24, 0.955, 0.89}, new double[] {25, 0.96, 0.90}));
        assertEquals(Verdict.WITHIN_NOISE, verdict(new double[] {17, 0.6, 0.7}, new double[] {17, 0.6, 0.7}));
    }

    @Test
    void betterAndWorseOnlyOutsideTheNoise() {
        assertEquals(Verdict.BETTER, verdict(new double[] {20, 0.80, 0.7}, new double[] {15, 0.80, 0.7}));
        assertEquals(Verdict.WORSE, verdict(new double[] {20, 0.70, 0.7}, new double[] {20, 0.80, 0.7}));
        // hq 0.02 higher (noise 0.0179 at p = 0.79): better; two modes fewer (noise 1): worse -> mixed
        assertEquals(Verdict.MIXED, verdict(new double[] {18, 0.80, 0.7}, new double[] {20, 0.78, 0.7}));
        // primaries tie, recall decides and is named
        assertEquals("better (recall)", verdict(new double[] {20, 0.80, 0.75}, new double[] {20, 0.80, 0.70}));
        assertEquals("worse (recall)", verdict(new double[] {20, 0.80, 0.65}, new double[] {20, 0.80, 0.70}));
    }

    @Test
    void theSeedSpreadCanTurnADifferenceIntoNoise() {
        double[] row = {20, 0.8, 0.7};
        double[] base = {17, 0.8, 0.7};
        assertEquals(Verdict.BETTER, verdict(row, base, 0.0, 0.0));
        // 3 modes apart but an sd of 2 modes: threshold 4
        assertEquals(Verdict.WITHIN_NOISE, verdict(row, base, 2.0, 0.0));
    }

    @Test
    void nothingIsBetterThanRealData() {
        // hq 1.0 (collapsed onto centres) against 0.99 = the floor: clipped, so not better
        assertEquals(Verdict.WITHIN_NOISE, verdict(new double[] {25, 1.0, 0.93}, new double[] {25, 0.99, 0.93}));
        assertEquals("", verdict(new double[] {Double.NaN, 0.5, 0.5}, new double[] {20, 0.5, 0.5}));
    }

    @Test
    void applyLabelsStudentsAgainstTheSameNfeAndDdim50() {
        MetricsTable t = new MetricsTable();
        t.add(DemoResults.REAL_DATA, 0, metrics(0, 25, 0.99, 0.93), Double.NaN, Double.NaN);
        t.add(DemoResults.TEACHER_DDIM50, 50, metrics(50, 25, 0.99, 0.90), 0, 1);
        t.add(DemoResults.ddpmRow(Dataset.GAUSSIANS25), 1000, metrics(1000, 25, 0.99, 0.96), 0, 10);
        t.add(DemoResults.TEACHER_DDIM, 1, metrics(1, 1, 0.99, 0.05), 0, 1);
        t.add("student", 1, metrics(1, 25, 0.99, 0.90), 1, 1);
        MetricsTable labelled = Verdict.apply(t, Dataset.GAUSSIANS25, N);
        // recall 0.90 against DDPM's 0.96 breaks the tie (noise 2 sqrt(0.96 * 0.04 / 2000) = 0.009)
        assertEquals(Verdict.WORSE + " (recall)", labelled.rows().get(4).label(Verdict.VS_DDPM));
        assertEquals("", labelled.rows().get(2).label(Verdict.VS_DDPM));
        assertEquals("", labelled.rows().get(0).label(Verdict.VS_DDPM));
        assertEquals("", labelled.rows().get(0).label(Verdict.VS_DDIM50));
        assertEquals("", labelled.rows().get(1).label(Verdict.VS_DDIM50));
        assertEquals(Verdict.WORSE, labelled.rows().get(3).label(Verdict.VS_DDIM50));
        assertEquals(Verdict.BETTER, labelled.rows().get(4).label(Verdict.VS_DDIM));
        assertEquals(Verdict.WITHIN_NOISE, labelled.rows().get(4).label(Verdict.VS_DDIM50));
    }

    private static Map<String, Double> metrics(double nfe, double modes, double hq, double recall) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("nfe", nfe);
        m.put("modes", modes);
        m.put("hq_fraction", hq);
        m.put("recall", recall);
        return m;
    }
}
