package dev.distillery.identities;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Backends;
import dev.distillery.diffusion.identities.Identity;
import dev.distillery.proptest.Property;
import dev.distillery.proptest.PropertyConfig;

import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every identity of the catalogue, I1 to I19, as a property over its own inputs on the scalar oracle
 * backend: the edge cases first, then generated inputs ({@link IdentityGen}: schedules of every
 * family, times and alpha_bar near 0 and 1, shapes, data with outliers), each within the tolerance
 * the identity's Javadoc derives for that input. A failure names the identity and prints the input
 * shrunk to the simplest one that still fails (the first family, the fewest steps, the edge time,
 * the smallest shape, data of 0); the seed only replays the run ({@code -Ddistillery.prop.seed}).
 */
class CatalogPropertyTest {
    /** Inputs per identity, after the edge cases; I11 (ODE solver orders) integrates trajectories and gets fewer. */
    static final int TRIES = 500;
    private static final int SLOW_TRIES = 50;

    @TestFactory
    Stream<DynamicTest> everyIdentityHoldsAtEveryGeneratedInput() {
        return IdentityCatalog.all().stream().map(id -> DynamicTest.dynamicTest(id.id() + " " + id.name(),
                () -> property(id, id.id().equals("I11") ? SLOW_TRIES : TRIES)));
    }

    /**
     * The identity's property, named {@code CatalogPropertyTest.<id>}: throws a
     * {@code PropertyFailure} with the shrunk input when the error exceeds the tolerance somewhere.
     */
    static <I> void property(Identity<I> id, int tries) {
        try (var b = Backends.use(Backends.scalar())) {
            // Named per identity (the name also gives each its own seed); the replay hint selects this class.
            Property.forAll(IdentityGen.of(id), PropertyConfig.defaults("CatalogPropertyTest." + id.id(),
                            CatalogPropertyTest.class.getName()))
                    .tries(tries)
                    .check(input -> {
                        double error = id.error(input);
                        double tolerance = id.tolerance(input);
                        assertTrue(error <= tolerance, () -> String.format(Locale.ROOT,
                                "%s (%s): error %.3e > tolerance %.3e", id.id(), id.name(), error, tolerance));
                    });
        }
    }
}
