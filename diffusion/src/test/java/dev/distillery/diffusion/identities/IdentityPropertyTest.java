package dev.distillery.diffusion.identities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Backends;
import dev.distillery.proptest.Gens;
import dev.distillery.proptest.Property;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every identity I1..I13 of the catalog holds within its tolerance over generated seeds (scalar oracle backend). */
class IdentityPropertyTest {

    @TestFactory
    Stream<DynamicTest> everyIdentityHoldsWithinItsTolerance() {
        return Identities.all().stream().map(id -> DynamicTest.dynamicTest(id.id() + " " + id.name(), () -> {
            try (var s = Backends.use(Backends.scalar())) {
                double[] worstSeen = {0};
                Property.forAll(Gens.ints(0, Integer.MAX_VALUE).map(Integer::longValue))
                        .named("IdentityPropertyTest." + id.id())
                        .tries(id.id().equals("I11") ? 10 : 30)
                        .check(seed -> {
                            double err = id.worstError(seed);
                            worstSeen[0] = Math.max(worstSeen[0], err);
                            assertTrue(err <= id.tolerance(), id.id() + " (" + id.equation() + "): error " + err
                                    + " > tolerance " + id.tolerance() + " for seed " + seed);
                        });
                System.out.printf("%s worst %.3e tolerance %.3e (%.2f%%)%n", id.id(), worstSeen[0], id.tolerance(),
                        100 * worstSeen[0] / id.tolerance());
            }
        }));
    }

    @Test
    void catalogListsI1ToI13InOrder() {
        var all = Identities.all();
        assertEquals(13, all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals("I" + (i + 1), all.get(i).id());
        }
    }
}
