package dev.distillery.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.bench.workloads.Measure;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The paired comparison's statistics and its argument checks (no timing). */
class PairedTest {

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        double[] v = {4.0, 1.0, 3.0, 2.0};
        assertEquals(1.75, Measure.quantile(v, 0.25), 0.0);
        assertEquals(2.5, Measure.quantile(v, 0.5), 0.0);
        assertEquals(3.25, Measure.quantile(v, 0.75), 0.0);
        assertEquals(1.0, Measure.quantile(v, 0.0), 0.0);
        assertEquals(4.0, Measure.quantile(v, 1.0), 0.0);
        assertEquals(7.0, Measure.quantile(new double[] {7.0}, 0.25), 0.0);
        // the median as the benchmarks report it: the mean of the middle two
        assertEquals(2.5, Measure.median(v), 0.0);
        assertEquals(3.0, Measure.median(new double[] {5.0, 1.0, 3.0}), 0.0);
    }

    @Test
    void signTestIsTheTwoSidedBinomialTail() {
        // 12 of 12: 2 / 2^12
        assertEquals(2.0 / 4096, Paired.signTest(12, 0), 1e-15);
        assertEquals(2.0 / 4096, Paired.signTest(0, 12), 1e-15);
        // 9 of 12: 2 (C(12,0) + C(12,1) + C(12,2) + C(12,3)) / 2^12 = 2 * 299 / 4096
        assertEquals(2.0 * 299 / 4096, Paired.signTest(9, 3), 1e-15);
        // an even split, or no decided round, is no evidence
        assertEquals(1.0, Paired.signTest(6, 6), 0.0);
        assertEquals(1.0, Paired.signTest(0, 0), 0.0);
    }

    @Test
    void summaryPairsTheRoundsAndLeavesTiesOutOfTheSignTest() {
        double[] a = {10.0, 20.0, 10.0, 10.0, 10.0};
        double[] b = {9.0, 18.0, 10.0, 11.0, 8.0};
        Paired.Summary s = Paired.Summary.of(a, b);
        // ratios 0.9, 0.9, 1.0, 1.1, 0.8 -> sorted 0.8 0.9 0.9 1.0 1.1
        assertEquals(0.9, s.ratio(), 1e-15);
        assertEquals(0.9, s.lowerQuartile(), 1e-15);
        assertEquals(1.0, s.upperQuartile(), 1e-15);
        assertEquals(10.0, s.medianA(), 0.0);
        assertEquals(10.0, s.medianB(), 0.0);
        assertEquals(3, s.bFaster());
        assertEquals(5, s.rounds());
        assertEquals(Paired.signTest(3, 1), s.signTestP(), 0.0);
        assertTrue(s.line().contains("B faster in 3 of 5"), s.line());
        assertThrows(IllegalArgumentException.class, () -> Paired.Summary.of(a, new double[] {1.0}));
    }

    @Test
    void optionsNameWhatIsWrong() {
        Paired.Options o = Paired.Options.parse(new String[] {"--a", "x", "--b", "y", "--workload", "w2", "--size", "512"});
        assertEquals(new Paired.Options(Path.of("x"), Path.of("y"), "w2", 1, 512, 12), o);
        String missing = assertThrows(IllegalArgumentException.class,
                () -> Paired.Options.parse(new String[] {"--a", "x", "--workload", "w2", "--size", "512"})).getMessage();
        assertTrue(missing.contains("--b"), missing);
        String workload = assertThrows(IllegalArgumentException.class,
                () -> Paired.Options.parse(new String[] {"--a", "x", "--b", "y", "--workload", "w9", "--size", "1"})).getMessage();
        assertTrue(workload.contains("w9") && workload.contains("w1"), workload);
        String integer = assertThrows(IllegalArgumentException.class,
                () -> Paired.Options.parse(new String[] {"--a", "x", "--b", "y", "--workload", "w1", "--size", "big"})).getMessage();
        assertTrue(integer.contains("--size big"), integer);
        String rounds = assertThrows(IllegalArgumentException.class,
                () -> Paired.Options.parse(new String[] {"--a", "x", "--b", "y", "--workload", "w1", "--size", "8", "--rounds", "2"})).getMessage();
        assertTrue(rounds.contains("--rounds 2"), rounds);
        String dangling = assertThrows(IllegalArgumentException.class,
                () -> Paired.Options.parse(new String[] {"--a"})).getMessage();
        assertTrue(dangling.contains("--a needs a value"), dangling);
    }
}
