package dev.distillery.proptest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Statistics of what a property generated. */
class StatisticsTest {

    @Test
    void countsLabelsPerTryMostFrequentFirst() {
        Property.forAll(Gens.ints(0, 99)).tries(400).seed(7).check(x -> {
            Statistics.collect(x < 10 ? "small" : "large");
            Statistics.collect(x % 2 == 0 ? "even" : "odd");
        });
        Statistics.Report r = Statistics.lastReport();
        assertEquals(400, r.tries());
        assertEquals(400, r.counts().get("small") + r.counts().get("large"));
        assertEquals(400, r.counts().get("even") + r.counts().get("odd"));
        assertEquals("large", r.counts().keySet().iterator().next());
        // Gens.ints draws an edge (0, 99) one time in ten, so "small" is a bit over 10 %.
        assertTrue(r.fraction("small") > 0.08 && r.fraction("small") < 0.25, r.toString());
        assertTrue(r.toString().contains("small"), r.toString());
    }

    @Test
    void aLabelCollectedTwiceInOneTryCountsOnceAndDiscardedTriesAreNotCounted() {
        Property.forAll(Gens.ints(0, 9)).tries(50).check(x -> {
            org.junit.jupiter.api.Assumptions.assumeTrue(x != 3);
            Statistics.collect("seen");
            Statistics.collect("seen");
        });
        Statistics.Report r = Statistics.lastReport();
        assertEquals(r.tries(), r.counts().get("seen"));
        assertTrue(r.tries() < 50, "some tries drew 3 and were discarded");
    }

    @Test
    void shrinkingDoesNotCountAndTheReportSurvivesAFailure() {
        assertThrows(PropertyFailure.class, () -> Property.forAll(Gens.ints(0, 1000)).tries(100).seed(1)
                .check(x -> {
                    Statistics.collect("try");
                    if (x > 500) {
                        throw new AssertionError("too big");
                    }
                }));
        Statistics.Report r = Statistics.lastReport();
        assertEquals(r.tries(), r.counts().get("try"), "one count per try up to the failing one, none while shrinking");
    }

    @Test
    void collectOutsideAPropertyIsIgnoredAndNestedPropertiesKeepTheirOwnCounts() {
        Statistics.collect("nowhere");
        Property.forAll(Gens.ints(0, 3)).tries(5).check(x -> {
            Statistics.collect("outer");
            Property.forAll(Gens.ints(0, 3)).tries(2).check(y -> Statistics.collect("inner"));
            Statistics.collect("outer after inner");
        });
        Statistics.Report r = Statistics.lastReport();
        assertEquals(List.of("outer", "outer after inner"), List.copyOf(r.counts().keySet()));
    }
}
