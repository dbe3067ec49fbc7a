package dev.distillery.identities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.diffusion.identities.ScheduleCase;
import dev.distillery.proptest.Gen;
import dev.distillery.proptest.Gens;
import dev.distillery.proptest.Property;
import dev.distillery.proptest.PropertyFailure;
import dev.distillery.proptest.Shrinkable;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The edge cases of the math's generators, and how they shrink. */
class MathGensTest {

    private static <T> List<T> edges(Gen<T> gen) {
        return gen.edgeCases().stream().map(Shrinkable::value).toList();
    }

    @Test
    void timesAndAlphaBarsTryBothEndsFirst() {
        assertEquals(List.of(MathGens.MIN_TIME, 1e-3, 0.5, 1 - 1e-9, 1.0), edges(MathGens.times()));
        assertEquals(List.of(1e-12, 1e-6, 0.5, 1 - 1e-6, 1 - 1e-12), edges(MathGens.alphaBars()));
    }

    @Test
    void dataEdgesAreZeroOneOutliersAndATinyValue() {
        assertEquals(List.of(0.0, 1.0, -1.0, 1e6, -1e6, 1e-6), edges(MathGens.dataValues()));
    }

    @Test
    void scheduleEdgesCoverEveryFamilyAtBothEndsOfT() {
        List<ScheduleCase> edges = edges(MathGens.schedules());
        Set<ScheduleCase.Family> families = edges.stream().map(ScheduleCase::family).collect(Collectors.toSet());
        assertEquals(Set.of(ScheduleCase.Family.values()), families);
        assertEquals("LINEAR(T = 2)", edges.get(0).toString());
        assertTrue(edges.stream().anyMatch(c -> c.steps() == 1000), edges.toString());
        assertTrue(edges(MathGens.discreteSchedules()).stream().allMatch(c -> c.family().discrete()));
    }

    @Test
    void batchEdgesIncludeOneElementAndTheLargestShape() {
        List<MathGens.Batch> edges = edges(MathGens.batches());
        assertArrayEquals(new int[] {1}, edges.get(0).shape());
        assertArrayEquals(new double[] {0.0}, edges.get(0).values());
        assertTrue(edges.stream().anyMatch(b -> b.values().length == 64), edges.toString());
    }

    @Test
    void dataShrinksToZeroThenToOneWithItsSign() {
        assertEquals(List.of(0.0, -1.0), MathGens.shrinkData(-0.37).limit(2).toList());
        assertEquals(List.of(0.0), MathGens.shrinkData(1.0).toList());
        assertTrue(MathGens.shrinkData(0.0).findAny().isEmpty());
    }

    /** combine keeps the parts' edge cases, which Gen.zip drops, and the first is every part's first edge. */
    @Test
    void combineCarriesEdgeCasesThroughAZip() {
        Gen<List<Object>> pairs = MathGens.combine(v -> v, MathGens.times(), Gens.doublesEdgeFirst(0, 1));
        List<List<Object>> edges = edges(pairs);
        assertEquals(List.of(MathGens.MIN_TIME, 0.0), edges.get(0));
        assertTrue(Gen.zip(MathGens.times(), MathGens.times()).edgeCases().isEmpty());
        // An edge that breaks a property is found before any random value, and named in the report.
        PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.forAll(MathGens.times()).tries(0)
                .checkThat(t -> t < 1.0));
        assertEquals(1.0, f.shrunkValue());
        assertTrue(f.getMessage().contains("failed at edge case 5"), f.getMessage());
    }
}
