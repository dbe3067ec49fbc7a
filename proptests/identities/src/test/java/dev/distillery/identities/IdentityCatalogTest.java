package dev.distillery.identities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.diffusion.identities.Identities;
import dev.distillery.diffusion.identities.Identity;
import dev.distillery.diffusion.identities.SeededChoices;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IdentityCatalogTest {

    @Test
    void catalogueListsI1ToI19ExactlyOnceEachInOrder() {
        List<String> ids = IdentityCatalog.all().stream().map(Identity::id).toList();
        assertEquals(IntStream.rangeClosed(1, 19).mapToObj(i -> "I" + i).toList(), ids);
        Set<String> seen = new HashSet<>(ids);
        assertEquals(19, seen.size(), "duplicates in " + ids);
    }

    @Test
    void everyEntryHasANameAnEquationAndFiniteTolerancesAtItsInputs() {
        for (Identity<?> i : IdentityCatalog.all()) {
            assertTrue(!i.name().isBlank() && !i.equation().isBlank(), i.id());
            tolerancesAreFinite(i);
        }
    }

    private static <I> void tolerancesAreFinite(Identity<I> id) {
        List<I> inputs = new java.util.ArrayList<>(Identities.edgeCases(id));
        SplittableRandom r = new SplittableRandom(3);
        for (int k = 0; k < 10; k++) {
            inputs.add(id.input(new SeededChoices(r.split())));
        }
        for (I input : inputs) {
            double tol = id.tolerance(input);
            assertTrue(tol >= 0 && tol < 1, id.id() + " tolerance " + tol + " at " + input);
            String text = input.toString();
            assertTrue(!text.contains("[D@") && !text.contains("[I@"), id.id() + " prints an array's identity: " + text);
        }
    }

    @Test
    void byIdFindsAnyCaseAndOnlyCatalogueIds() {
        Identity<?> i15 = IdentityCatalog.byId("i15").orElseThrow();
        assertEquals("I15", i15.id());
        assertTrue(IdentityCatalog.byId("I20").isEmpty());
    }
}
