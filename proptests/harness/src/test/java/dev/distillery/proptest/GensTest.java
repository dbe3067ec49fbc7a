package dev.distillery.proptest;

import static dev.distillery.proptest.PropertyTest.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The built-in generators stay in their domain, hit its edges, and shrink inside it. */
class GensTest {

    @Test
    void intsStayInRangeAndHitBothBounds() {
        List<Integer> xs = Gens.ints(-3, 7).samples(5, 500);
        assertTrue(xs.stream().allMatch(x -> x >= -3 && x <= 7));
        assertTrue(xs.contains(-3) && xs.contains(7) && xs.contains(0));
        List<Integer> extremes = Gens.ints(Integer.MIN_VALUE, Integer.MAX_VALUE).samples(6, 500);
        assertTrue(extremes.contains(Integer.MIN_VALUE) && extremes.contains(Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> Gens.ints(2, 1));
    }

    @Test
    void intsShrinkTowardTheBoundNearestZero() {
        assertEquals(-100, failure(() -> Property.forAll(Gens.ints(-1000, -1)).checkThat(x -> x > -100)).shrunkValue());
        assertEquals(-100, failure(() -> Property.forAll(Gens.ints(-1000, 1000)).checkThat(x -> x > -100)).shrunkValue());
        assertEquals(5, failure(() -> Property.forAll(Gens.ints(5, 1000)).checkThat(x -> false)).shrunkValue());
    }

    @Test
    void doublesStayInRangeAndHitTheEdges() {
        List<Double> xs = Gens.doubles(-2.5, 4).samples(8, 2000);
        assertTrue(xs.stream().allMatch(x -> x >= -2.5 && x <= 4));
        for (double edge : new double[] {-2.5, 4, 0, 1, -1}) {
            assertTrue(xs.contains(edge), "missing edge " + edge);
        }
        assertTrue(Gens.doubles(0.25, 0.75).samples(9, 500).stream().allMatch(x -> x >= 0.25 && x <= 0.75));
        assertThrows(IllegalArgumentException.class, () -> Gens.doubles(0, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Gens.doubles(Double.NaN, 1));
    }

    @Test
    void doublesShrinkToSimpleNumbersInsideTheRange() {
        assertEquals(11.0, failure(() -> Property.forAll(Gens.doubles(0, 100)).checkThat(x -> x < 10.5)).shrunkValue());
        assertEquals(-1.0, failure(() -> Property.forAll(Gens.doubles(-5, -1)).checkThat(x -> false)).shrunkValue());
        assertEquals(0.25, failure(() -> Property.forAll(Gens.doubles(0.25, 9)).checkThat(x -> false)).shrunkValue());
        double small = (Double) failure(() -> Property.forAll(Gens.doubles(-1, 1))
                .checkThat(x -> Math.abs(x) < 0.3)).shrunkValue();
        assertTrue(small >= 0.3 && small <= 0.31, "shrunk to " + small);
    }

    @Test
    void everyDoubleShrinkCandidateIsInRangeAndNoFartherFromTheTarget() {
        Property.forAll(Gen.zip(Gens.doubles(-1e6, 1e6), Gens.doubles(-1e6, 1e6), Gens.doubles(-1e6, 1e6))).check(t -> {
            double[] s = {t.first(), t.second(), t.third()};
            Arrays.sort(s);
            double lo = s[0];
            double x = s[1];
            double hi = s[2];
            double target = Shrinkers.target(lo, hi);
            Shrinkers.towards(x, lo, hi).forEach(c -> {
                assertTrue(c >= lo && c <= hi && c != x, () -> c + " for " + x);
                assertTrue(Math.abs(c - target) <= Math.abs(x - target), () -> c + " for " + x);
            });
        });
    }

    @Test
    void doubleArraysHaveTheirLengthsAndValues() {
        Property.forAll(Gens.doubleArrays(Gens.ints(2, 5), -1, 1)).check(xs -> {
            assertTrue(xs.length >= 2 && xs.length <= 5);
            assertTrue(Arrays.stream(xs).allMatch(x -> x >= -1 && x <= 1));
        });
    }

    @Test
    void shapesHaveBoundedRankAndPositiveDims() {
        Property.forAll(Gens.shapes(4, 6)).check(s -> {
            assertTrue(s.length <= 4);
            assertTrue(Arrays.stream(s).allMatch(d -> d >= 1 && d <= 6));
        });
        Property.forAll(Gens.shapes(2, 3, 6)).check(s -> assertTrue(s.length >= 2 && s.length <= 3));
        PropertyFailure f = failure(() -> Property.forAll(Gens.shapes(1, 5, 9))
                .checkThat(s -> Arrays.stream(s).sum() < 12));
        int[] shrunk = (int[]) f.shrunkValue();
        assertEquals(12, Arrays.stream(shrunk).sum(), Arrays.toString(shrunk));
    }

    @Test
    void broadcastPairsAreAlwaysCompatibleEvenWhenShrunk() {
        Gen<BroadcastPair> pairs = Gens.broadcastPair(4, 5);
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 50; i++) {
            walk(pairs.generate(random), random, p -> {
                assertTrue(numpyRuleHolds(p.left(), p.right()), p::toString);
                assertTrue(p.left().length <= 4 && p.right().length <= 4, p::toString);
                assertArrayEquals(expectedResult(p.left(), p.right()), p.result(), p::toString);
            });
        }
    }

    @Test
    void broadcastPairsCoverDifferentRanksAndOnes() {
        List<BroadcastPair> ps = Gens.broadcastPair(4, 5).samples(12, 500);
        assertTrue(ps.stream().anyMatch(p -> p.left().length != p.right().length));
        assertTrue(ps.stream().anyMatch(p -> p.left().length == 4 && Arrays.equals(p.left(), p.right())));
        assertTrue(ps.stream().anyMatch(p -> !Arrays.equals(p.left(), p.right())
                && p.left().length == p.right().length && p.left().length > 1));
        assertTrue(ps.stream().anyMatch(p -> p.left().length == 0 || p.right().length == 0));
        PropertyFailure f = failure(() -> Property.forAll(Gens.broadcastPair(4, 5))
                .checkThat(p -> p.left().length == p.right().length));
        BroadcastPair shrunk = (BroadcastPair) f.shrunkValue();
        assertEquals(1, shrunk.left().length + shrunk.right().length, shrunk.toString());
        assertThrows(IllegalArgumentException.class, () -> new BroadcastPair(new int[] {2}, new int[] {3}));
        assertFalse(BroadcastPair.compatible(new int[] {0}, new int[] {1}));
    }

    /** NumPy's rule, written out again here so the test does not trust the code under test. */
    private static boolean numpyRuleHolds(int[] a, int[] b) {
        for (int i = 1; i <= Math.min(a.length, b.length); i++) {
            int x = a[a.length - i];
            int y = b[b.length - i];
            if (x < 1 || y < 1 || !(x == y || x == 1 || y == 1)) {
                return false;
            }
        }
        return Arrays.stream(a).allMatch(d -> d >= 1) && Arrays.stream(b).allMatch(d -> d >= 1);
    }

    private static int[] expectedResult(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] pa = new int[rank];
        int[] pb = new int[rank];
        Arrays.fill(pa, 1);
        Arrays.fill(pb, 1);
        System.arraycopy(a, 0, pa, rank - a.length, a.length);
        System.arraycopy(b, 0, pb, rank - b.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = pa[i] == 1 ? pb[i] : pa[i];
        }
        return out;
    }

    /** Visits a node and all its children, then goes on from a random child, down to a leaf. */
    private static <T> void walk(Shrinkable<T> node, SplittableRandom random, Consumer<T> visit) {
        visit.accept(node.value());
        for (List<Shrinkable<T>> children = node.children().toList(); !children.isEmpty(); ) {
            children.forEach(c -> visit.accept(c.value()));
            children = children.get(random.nextInt(children.size())).children().toList();
        }
    }
}
