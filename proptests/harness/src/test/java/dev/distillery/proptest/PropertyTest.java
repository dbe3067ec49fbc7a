package dev.distillery.proptest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The runner: passing, failing, reporting, replaying, fixed examples, assumptions. */
class PropertyTest {

    @Test
    void truePropertyPassesAndRunsEveryTry() {
        List<Integer> seen = new ArrayList<>();
        Property.forAll(Gens.ints(-1000, 1000)).tries(250).check(x -> {
            seen.add(x);
            assertEquals(x, x + 0);
        });
        assertEquals(250, seen.size());
        Property.forAll(Gens.ints(0, 10)).checkThat(x -> x >= 0 && x <= 10);
    }

    @Test
    void falsePropertyFailsWithNameSeedReplayAndShrunkValueInMessage() {
        PropertyFailure f = assertThrows(PropertyFailure.class, () ->
                Property.forAll(Gens.ints(0, 1000)).checkThat(x -> x < 100));
        String m = f.getMessage();
        assertTrue(m.contains("PropertyTest.falsePropertyFailsWithNameSeedReplayAndShrunkValueInMessage"), m);
        assertTrue(m.contains("seed " + f.seed()), m);
        assertTrue(m.contains("-Ddistillery.prop.seed=" + f.seed()), m);
        assertTrue(m.contains("-Dtest='dev.distillery.proptest.PropertyTest#falseProperty"), m);
        assertTrue(m.contains("shrunk counterexample:   100"), m);
        assertTrue(m.contains("original counterexample: " + f.originalValue()), m);
        assertTrue(m.contains("try " + f.tryNumber() + " of 100"), m);
        assertTrue(m.contains("predicate returned false"), m);
        assertInstanceOf(AssertionError.class, f.getCause());
    }

    @Test
    void shrinkingReachesTheExactBoundaryOfAMonotoneProperty() {
        PropertyFailure f = failure(() -> Property.forAll(Gens.ints(0, 1000)).checkThat(x -> x < 100));
        assertEquals(100, f.shrunkValue());
        assertTrue((Integer) f.originalValue() >= 100);
    }

    @Test
    void arraySumShrinksToAShortArray() {
        PropertyFailure f = failure(() -> Property.forAll(Gens.doubleArrays(Gens.ints(0, 30), 0, 100))
                .checkThat(xs -> Arrays.stream(xs).sum() < 10));
        double[] shrunk = (double[]) f.shrunkValue();
        assertEquals(1, shrunk.length, Arrays.toString(shrunk));
        assertEquals(10.0, shrunk[0]);
        assertTrue(f.getMessage().contains("shrunk counterexample:   [10.0]"), f.getMessage());
    }

    @Test
    void shapesShrinkToTheSmallestFailingRank() {
        PropertyFailure f = failure(() -> Property.forAll(Gens.shapes(6, 7)).checkThat(s -> s.length < 3));
        assertArrayEquals(new int[] {1, 1, 1}, (int[]) f.shrunkValue());
    }

    @Test
    void replayBySeedReproducesTheSameFirstFailingValue() {
        Supplier<PropertyFailure> run = () -> failure(() ->
                Property.forAll(Gens.ints(0, 1_000_000)).seed(12345).checkThat(x -> x % 7 != 3));
        PropertyFailure first = run.get();
        PropertyFailure again = run.get();
        assertEquals(12345, first.seed());
        assertEquals(first.tryNumber(), again.tryNumber());
        assertEquals(first.originalValue(), again.originalValue());
        assertEquals(first.shrunkValue(), again.shrunkValue());
    }

    @Test
    void seedSystemPropertyReplaysAReportedSeed() {
        PropertyFailure reported = failure(() ->
                Property.forAll(Gens.ints(0, 1_000_000)).checkThat(x -> x % 5 != 2));
        String old = System.setProperty(PropertyConfig.SEED_PROPERTY, Long.toString(reported.seed()));
        try {
            PropertyFailure replayed = failure(() ->
                    Property.forAll(Gens.ints(0, 1_000_000)).named("another name").seed(99).checkThat(x -> x % 5 != 2));
            assertEquals(reported.seed(), replayed.seed());
            assertEquals(reported.originalValue(), replayed.originalValue());
        } finally {
            restore(PropertyConfig.SEED_PROPERTY, old);
        }
    }

    @Test
    void triesSystemPropertyOverridesTheTries() {
        String old = System.setProperty(PropertyConfig.TRIES_PROPERTY, "7");
        try {
            int[] count = {0};
            Property.forAll(Gens.ints(0, 9)).tries(500).check(x -> count[0]++);
            assertEquals(7, count[0]);
        } finally {
            restore(PropertyConfig.TRIES_PROPERTY, old);
        }
    }

    @Test
    void defaultSeedIsStablePerNameAndDiffersBetweenNames() {
        assertEquals(PropertyConfig.seedFromName("a.b"), PropertyConfig.seedFromName("a.b"));
        assertNotEquals(PropertyConfig.seedFromName("a.b"), PropertyConfig.seedFromName("a.c"));
        List<Integer> one = new ArrayList<>();
        List<Integer> two = new ArrayList<>();
        Property.forAll(Gens.ints(0, 1 << 30)).named("same").check(one::add);
        Property.forAll(Gens.ints(0, 1 << 30)).named("same").check(two::add);
        assertEquals(one, two);
    }

    @Test
    void fixedExamplesRunFirstAndAreReportedUnshrunk() {
        List<Integer> seen = new ArrayList<>();
        Property.forAll(Gens.ints(0, 9)).example(42).example(-1).tries(3).check(seen::add);
        assertEquals(List.of(42, -1), seen.subList(0, 2));
        assertEquals(5, seen.size());

        PropertyFailure f = failure(() -> Property.forAll(Gens.ints(0, 9)).example(500).checkThat(x -> x < 100));
        assertEquals(0, f.tryNumber());
        assertEquals(500, f.shrunkValue());
        assertTrue(f.getMessage().contains("fixed example 500"), f.getMessage());
    }

    @Test
    void runtimeExceptionsFailAndShrinkingKeepsTheSameKindOfError() {
        PropertyFailure f = failure(() -> Property.forAll(Gens.ints(0, 1000)).check(x -> {
            if (x >= 50) {
                throw new IllegalStateException("too big: " + x);
            }
            if (x >= 10) {
                throw new AssertionError("a different bug");
            }
        }));
        assertEquals(50, f.shrunkValue());
        assertInstanceOf(IllegalStateException.class, f.getCause());
        assertTrue(f.getMessage().contains("too big: 50"), f.getMessage());
    }

    @Test
    void assumptionsDiscardTriesAndAllDiscardedIsAnError() {
        Property.forAll(Gens.ints(0, 1000)).check(x -> {
            assumeTrue(x % 2 == 0);
            assertEquals(0, x % 2);
        });
        AssertionError e = assertThrows(AssertionError.class, () ->
                Property.forAll(Gens.ints(0, 10)).check(x -> assumeTrue(false)));
        assertTrue(e.getMessage().contains("discarded"), e.getMessage());
    }

    @Test
    void shrinkLimitBoundsTheWork() {
        int[] calls = {0};
        PropertyFailure f = failure(() -> Property.forAll(Gens.ints(0, 1_000_000)).shrinkLimit(3).check(x -> {
            calls[0]++;
            assertTrue(x < 10);
        }));
        assertTrue(f.getMessage().contains("may not be minimal"), f.getMessage());
        assertTrue(calls[0] <= f.tryNumber() + 3);
    }

    @Test
    void aGeneratorErrorNamesThePropertyAndSeed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                Property.forAll(Gens.ints(0, 1000).filter(x -> x > 5000)).named("strict").check(x -> { }));
        assertTrue(e.getMessage().contains("'strict'") && e.getMessage().contains("seed"), e.getMessage());
        assertTrue(e.getCause().getMessage().contains("too strict"), e.getCause().getMessage());
    }

    static PropertyFailure failure(Runnable property) {
        return assertThrows(PropertyFailure.class, property::run);
    }

    private static void restore(String key, String old) {
        if (old == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, old);
        }
    }
}
