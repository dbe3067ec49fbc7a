package dev.distillery.identities;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Backends;
import dev.distillery.diffusion.identities.Identity;
import dev.distillery.proptest.Gen;
import dev.distillery.proptest.Property;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every identity of the catalogue, I1 to I19, over generated seeds on the scalar oracle backend:
 * each seed drives a whole batch of random schedules, times, shapes and tensors inside
 * {@code worstError}, which must stay within the tolerance derived in the identity's Javadoc. A
 * failure prints the seed and how to replay it ({@code -Ddistillery.prop.seed}).
 */
class CatalogPropertyTest {
    /** Tries per identity; I11 (ODE solver orders) integrates trajectories and gets fewer. */
    private static final int TRIES = 25;
    private static final int SLOW_TRIES = 8;

    /** Any long; shrinks toward 0. */
    private static final Gen<Long> SEEDS = Gen.of(r -> r.nextLong(), s -> s == 0L ? Stream.empty() : Stream.of(0L));

    @TestFactory
    Stream<DynamicTest> everyIdentityHoldsWithinItsToleranceOverGeneratedSeeds() {
        return IdentityCatalog.all().stream().map(id -> DynamicTest.dynamicTest(id.id() + " " + id.name(),
                () -> holds(id)));
    }

    private static void holds(Identity id) {
        try (var b = Backends.use(Backends.scalar())) {
            Property.forAll(SEEDS)
                    .named("CatalogPropertyTest." + id.id())
                    .tries(id.id().equals("I11") ? SLOW_TRIES : TRIES)
                    .check(seed -> {
                        double err = id.worstError(seed);
                        assertTrue(err <= id.tolerance(), id.id() + " (" + id.equation() + "): worst error " + err
                                + " > tolerance " + id.tolerance() + " at seed " + seed);
                    });
        }
    }
}
