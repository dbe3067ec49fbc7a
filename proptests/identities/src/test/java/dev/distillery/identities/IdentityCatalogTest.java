package dev.distillery.identities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.diffusion.identities.Identity;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    void everyEntryHasANameAnEquationAndAFiniteTolerance() {
        for (Identity i : IdentityCatalog.all()) {
            assertTrue(!i.name().isBlank() && !i.equation().isBlank(), i.id());
            assertTrue(i.tolerance() >= 0 && i.tolerance() < 1, i.id() + " tolerance " + i.tolerance());
        }
    }

    @Test
    void adapterForwardsEveryMethod() {
        Identity i15 = IdentityCatalog.byId("i15").orElseThrow();
        assertEquals("I15", i15.id());
        assertEquals(0.0, i15.tolerance());
        assertEquals(0.0, i15.worstError(7L));
        assertTrue(IdentityCatalog.byId("I20").isEmpty());
    }
}
