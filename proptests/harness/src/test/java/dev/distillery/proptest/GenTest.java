package dev.distillery.proptest;

import static dev.distillery.proptest.PropertyTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The combinators: each one draws what it says and shrinks through to a minimal value. */
class GenTest {

    @Test
    void sameSeedGivesTheSameSequence() {
        List<Gen<?>> gens = List.of(Gens.ints(-5, 500), Gens.doubles(-3, 3), Gens.booleans(),
                Gens.doubleArrays(Gens.ints(0, 8), -1, 1).map(Arrays::toString),
                Gens.shapes(5, 6).map(Arrays::toString), Gens.broadcastPair(4, 4),
                Gens.ints(0, 9).flatMap(n -> Gen.listOf(Gen.constant(n), Gens.ints(0, 9))));
        for (Gen<?> g : gens) {
            assertEquals(g.samples(77, 50), g.samples(77, 50));
            assertTrue(!g.samples(77, 50).equals(g.samples(78, 50)) || g.samples(77, 1).isEmpty());
        }
    }

    @Test
    void mapShrinksThroughTheFunction() {
        PropertyFailure f = failure(() -> Property.forAll(Gens.ints(0, 1000).map(x -> 2 * x)).checkThat(y -> y < 200));
        assertEquals(200, f.shrunkValue());
    }

    @Test
    void filterShrinksOnlyToValuesThatPass() {
        PropertyFailure f = failure(() -> Property.forAll(Gens.ints(0, 1000).filter(x -> x % 2 == 0))
                .checkThat(x -> x < 101));
        assertEquals(102, f.shrunkValue());
    }

    @Test
    void tooStrictFilterGivesAClearError() {
        Gen<Integer> never = Gens.ints(0, 100).filter(x -> x > 100);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> never.sample(new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("rejected 1000 values in a row"), e.getMessage());
        assertTrue(e.getMessage().contains("too strict"), e.getMessage());
    }

    @Test
    void flatMapShrinksTheOuterValueThenTheInner() {
        Gen<List<Integer>> lists = Gens.ints(1, 10).flatMap(n -> Gen.listOf(Gen.constant(n), Gens.ints(0, 100)));
        PropertyFailure f = failure(() -> Property.forAll(lists)
                .checkThat(xs -> xs.stream().mapToInt(Integer::intValue).sum() < 50));
        assertEquals(List.of(50), f.shrunkValue());
    }

    @Test
    void zipShrinksEachComponent() {
        PropertyFailure f = failure(() -> Property.forAll(Gen.zip(Gens.ints(0, 1000), Gens.ints(0, 1000)))
                .checkThat(t -> t.first() + t.second() < 100));
        Tuple2<?, ?> t = (Tuple2<?, ?>) f.shrunkValue();
        assertEquals(100, (Integer) t.first() + (Integer) t.second());
        PropertyFailure g = failure(() -> Property.forAll(
                Gen.zip(Gens.ints(0, 9), Gens.ints(0, 9), Gens.ints(0, 9), Gens.ints(0, 9)))
                .checkThat(q -> q.fourth() < 5));
        assertEquals(new Tuple4<>(0, 0, 0, 5), g.shrunkValue());
        assertEquals("(1, [2.0], [3], x)", new Tuple4<>(1, new double[] {2}, new int[] {3}, "x").toString()
                .replace("\"", ""));
        assertEquals(new Tuple3<>(1, 2, 3), Gen.zip(Gen.constant(1), Gen.constant(2), Gen.constant(3))
                .sample(new SplittableRandom(0)));
        assertEquals(7, Gen.zip(Gen.constant(3), Gen.constant(4), Integer::sum).sample(new SplittableRandom(0)));
    }

    @Test
    void oneOfDrawsFromEveryChoiceAndShrinksTowardTheFirst() {
        Gen<Integer> g = Gen.oneOf(Gens.ints(0, 9), Gens.ints(100, 109), Gen.constant(-1));
        Set<Integer> bands = g.samples(3, 300).stream().map(x -> x < 0 ? -1 : x / 100).collect(Collectors.toSet());
        assertEquals(Set.of(-1, 0, 1), bands);
        PropertyFailure f = failure(() -> Property.forAll(g).checkThat(x -> x < 0));
        assertEquals(0, f.shrunkValue());
    }

    @Test
    void listOfKeepsTheMinimumLengthWhileShrinking() {
        PropertyFailure f = failure(() -> Property.forAll(Gen.listOf(Gens.ints(3, 10), Gens.ints(0, 9)))
                .checkThat(xs -> false));
        assertEquals(List.of(0, 0, 0), f.shrunkValue());
    }

    @Test
    void listShrinkingDropsTheIrrelevantElements() {
        PropertyFailure f = failure(() -> Property.forAll(Gen.listOf(Gens.ints(0, 40), Gens.ints(0, 1000)))
                .checkThat(xs -> !xs.contains(0) || xs.size() < 3 || xs.stream().filter(x -> x > 0).count() < 1));
        assertEquals(3, ((List<?>) f.shrunkValue()).size());
    }

    @Test
    void constantNeverShrinksAndElementOfShrinksTowardTheFirst() {
        assertEquals(0L, Gen.constant("k").generate(new SplittableRandom(0)).children().count());
        PropertyFailure f = failure(() -> Property.forAll(Gens.elementOf("a", "b", "c")).checkThat(s -> false));
        assertEquals("a", f.shrunkValue());
        PropertyFailure b = failure(() -> Property.forAll(Gens.booleans()).checkThat(x -> false));
        assertEquals(false, b.shrunkValue());
        assertEquals(Set.of("a", "b", "c"), new HashSet<>(Gens.elementOf("a", "b", "c").samples(1, 100)));
    }

    @Test
    void customGeneratorShrinksWithItsShrinker() {
        Gen<Long> evens = Gen.of(r -> 2 * r.nextLong(0, 1000), x -> Shrinkers.towards(x / 2, 0).map(h -> 2 * h));
        PropertyFailure f = failure(() -> Property.forAll(evens).checkThat(x -> x < 31));
        assertEquals(32L, f.shrunkValue());
    }
}
