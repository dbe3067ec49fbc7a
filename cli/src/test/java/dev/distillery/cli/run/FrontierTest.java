package dev.distillery.cli.run;



import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.report.MetricsTable;
import dev.distillery.cli.report.SeedAggregate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Speedup at equal coverage and the seeds' mean and spread, on hand-made tables. */
class FrontierTest {
    @Test
    void speedupIsTheRatioAtTheSmallestNfeThatReachesDdpm1000() {
        MetricsTable t = new MetricsTable();
        MetricsTable.Row ref = new MetricsTable.Row(DemoResults.ddpmRow(Dataset.GAUSSIANS25), 1000, m(1000, 25, 0.95), 0, 12.0);
        t.add(ref);
        t.add("a", 1, m(1, 20, 0.99), 1, 0.01);   // too few modes
        t.add("a", 2, m(2, 24, 0.96), 1, 0.03);   // 24 >= 25 - 1 and 0.96 >= 0.95: reaches
        t.add("a", 4, m(4, 25, 0.97), 1, 0.06);
        t.add("b", 1, m(1, 25, 0.90), 1, 0.01);   // hq below
        t.add("b", 2, m(2, 23, 0.99), 1, 0.02);   // two modes short
        // the teacher's frontier: DDIM-8 reaches a's natural 4-step row (25 modes, 0.97), DDIM-4 only b's 1-step row
        List<Frontier.Point> frontier = List.of(
                new Frontier.Point(Frontier.Sampler.DDIM, 4, 0.1, m(4, 24, 0.92), null),
                new Frontier.Point(Frontier.Sampler.DDIM, 8, 0.2, m(8, 25, 0.98), null),
                new Frontier.Point(Frontier.Sampler.DDPM, 1000, 12.0, m(1000, 25, 0.95), null));
        MetricsTable s = Frontier.speedups(Dataset.GAUSSIANS25, t, ref, List.of("a", "b"), Map.of("a", 4, "b", 1),
                frontier);
        MetricsTable.Row a = s.rows().get(0);
        assertEquals(2, a.steps());
        assertEquals(500.0, a.metric(Frontier.SPEEDUP_NFE), 1e-12);
        assertEquals(400.0, a.metric(Frontier.SPEEDUP_SECONDS), 1e-9);
        assertEquals("at 2 steps", a.label(Frontier.REACHES));
        assertEquals(8.0, a.metric(Frontier.TEACHER_NFE), 0.0);
        assertEquals(2.0, a.metric(Frontier.NFE_SAVING), 1e-12);
        MetricsTable.Row b = s.rows().get(1);
        assertEquals("none", b.label(Frontier.REACHES));
        assertTrue(Double.isNaN(b.metric(Frontier.SPEEDUP_NFE)));
        assertEquals(4.0, b.metric(Frontier.TEACHER_NFE), 0.0);   // 24 >= 25 - 1 and 0.92 >= 0.90
        assertEquals(4.0, b.metric(Frontier.NFE_SAVING), 1e-12);
    }

    @Test
    void everySamplerCoversItsNfeList() {
        assertEquals(List.of("ddim", "dpm++2m", "heun", "ddpm"),
                java.util.Arrays.stream(Frontier.Sampler.values()).map(s -> s.key).toList());
        assertEquals(1000, Frontier.Sampler.DDPM.nfes()[Frontier.Sampler.DDPM.nfes().length - 1]);
        // Heun's NFE are 2 n - 1
        for (int nfe : Frontier.Sampler.HEUN.nfes()) {
            assertEquals(1, nfe % 2);
        }
    }

    @Test
    void seedsAggregateToMeanAndSampleStd() {
        MetricsTable s0 = new MetricsTable().add("x", 1, m(1, 20, 0.5), 1, 2);
        MetricsTable s1 = new MetricsTable().add("x", 1, m(1, 24, 0.7), 3, 4);
        MetricsTable agg = SeedAggregate.of(List.of(s0, s1));
        MetricsTable.Row r = agg.rows().get(0);
        assertEquals(22.0, r.metric("modes"), 1e-12);
        assertEquals(Math.sqrt(8.0), r.metric("modes_sd"), 1e-12); // ((2^2 + 2^2) / 1)^0.5
        assertEquals(0.6, r.metric("hq_fraction"), 1e-12);
        assertEquals(Math.sqrt(0.02), r.metric("hq_fraction_sd"), 1e-12);
        assertTrue(Double.isNaN(r.metric("nfe_sd")), "nfe is a setting, it has no spread");
        assertEquals(2.0, r.trainSeconds(), 0.0);
        assertEquals(List.of("nfe", "modes", "modes_sd", "hq_fraction", "hq_fraction_sd"), agg.metricNames());
    }

    private static Map<String, Double> m(double nfe, double modes, double hq) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("nfe", nfe);
        m.put("modes", modes);
        m.put("hq_fraction", hq);
        return m;
    }
}
