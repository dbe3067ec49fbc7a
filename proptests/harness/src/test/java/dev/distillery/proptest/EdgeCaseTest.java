package dev.distillery.proptest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Edge-case-first generation: declared edges are tried before random values, and shrink. */
class EdgeCaseTest {

    private static List<Double> edgeValues(Gen<Double> g) {
        return g.edgeCases().stream().map(Shrinkable::value).toList();
    }

    @Test
    void doublesEdgeFirstListsZerosBoundsAndDenormalsButNoNaN() {
        List<Double> edges = edgeValues(Gens.doublesEdgeFirst(-1, 1));
        assertEquals(0.0, edges.get(0));
        assertEquals(-0.0, edges.get(1)); // Double.equals tells the signed zeros apart
        assertTrue(edges.containsAll(List.of(-1.0, 1.0, Math.nextUp(-1.0), Math.nextDown(1.0),
                Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL)));
        assertFalse(edges.stream().anyMatch(d -> !Double.isFinite(d)));
    }

    @Test
    void edgesOutsideTheRangeAreLeftOutAndExtrasComeAfterTheZeros() {
        List<Double> edges = edgeValues(Gens.doublesEdgeFirst(1e-3, 1, 0.5));
        assertEquals(0.5, edges.get(0), "0 lies outside, so the extra edge comes first");
        assertTrue(edges.stream().allMatch(d -> d >= 1e-3 && d <= 1), edges.toString());
    }

    @Test
    void nonFiniteValuesOnlyWhereAsked() {
        List<Double> edges = edgeValues(Gens.withNonFinite(Gens.doublesEdgeFirst(0, 1)));
        assertTrue(edges.stream().anyMatch(d -> Double.isNaN(d)));
        assertTrue(edges.containsAll(List.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, 1.0)));
    }

    @Test
    void edgeCasesRunBeforeTheRandomTriesAndOnTopOfThem() {
        List<Integer> seen = new ArrayList<>();
        Property.forAll(Gens.intsEdgeFirst(-5, 5)).tries(10).check(seen::add);
        assertEquals(List.of(0, -5, 5, 1, -1), seen.subList(0, 5));
        assertEquals(15, seen.size());
    }

    @Test
    void aFailingEdgeCaseIsReportedAsSuchAndShrunk() {
        // Fails for every x >= 3: the edge case 1000 fails first and shrinks to the boundary 3.
        Gen<Integer> g = Gens.ints(0, 1000).withEdgeCases(List.of(0, 1000),
                x -> Shrinkers.towards(x, 0).map(Long::intValue));
        PropertyFailure f = assertThrows(PropertyFailure.class,
                () -> Property.forAll(g).tries(0).checkThat(x -> x < 3));
        assertEquals(-2, f.tryNumber());
        assertEquals(1000, f.originalValue());
        assertEquals(3, f.shrunkValue());
        assertTrue(f.getMessage().contains("failed at edge case 2 (before the 0 random tries)"), f.getMessage());
    }

    @Test
    void combinatorsDoNotInventEdgeCasesButAllCombinesThem() {
        assertTrue(Gens.intsEdgeFirst(0, 3).map(x -> x + 1).edgeCases().isEmpty());
        Gen<List<Object>> both = Gen.all(List.of(Gens.intsEdgeFirst(0, 3), Gens.booleans()
                .withEdgeCases(List.of(false, true), b -> Stream.empty())));
        List<List<Object>> combos = both.edgeCases().stream().map(Shrinkable::value).toList();
        // ints has 3 edges (0, 3, 1), booleans 2: three combinations, every edge of each part present.
        assertEquals(List.of(List.of(0, false), List.of(3, true), List.of(1, false)), combos);
    }
}
