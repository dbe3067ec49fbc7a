package dev.distillery.distill.identities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Backends;
import dev.distillery.diffusion.identities.Finding;
import dev.distillery.diffusion.identities.Identities;
import dev.distillery.diffusion.identities.Identity;
import dev.distillery.diffusion.identities.SeededChoices;
import dev.distillery.proptest.Gen;
import dev.distillery.proptest.Property;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Identities I14-I19 at their edge cases and at generated inputs (drawn as {@code distillery audit}
 * draws them): each must stay within the tolerance its Javadoc derives for that input. A failure
 * prints the input; the catalogue's {@code CatalogPropertyTest} (module {@code proptests/identities})
 * also shrinks it.
 */
class DistillIdentityPropertyTest {
    private static final int TRIES = 300;

    private static <I> void holds(Identity<I> identity) {
        try (var b = Backends.use(Backends.scalar())) {
            Gen<I> inputs = Gen.<I>of(r -> identity.input(new SeededChoices(r)), x -> Stream.empty())
                    .withEdgeCases(Identities.edgeCases(identity), x -> Stream.empty());
            Property.forAll(inputs).tries(TRIES).check(input -> {
                Finding<I> f = Finding.at(identity, input, "");
                assertTrue(f.holds(), () -> identity.id() + " (" + identity.name() + "): error " + f.error()
                        + " > tolerance " + f.tolerance());
            });
        }
    }

    @Test
    void i14OneStudentStepOnTheInvertedTargetLandsOnTheTeachersTwoSteps() {
        holds(new I14ProgressiveTargetInversion());
    }

    @Test
    void i15ConsistencyFunctionIsTheIdentityAtEpsilon() {
        holds(new I15ConsistencyBoundary());
    }

    @Test
    void i16CtmIsTheIdentityAtSEqualsTAndTheNetworkAtZero() {
        holds(new I16CtmBoundaries());
    }

    @Test
    void i17OneEulerStepIsExactOnAStraightCoupling() {
        holds(new I17StraightCouplingEuler());
    }

    @Test
    void i18SurrogateLossHasThePrescribedGradient() {
        holds(new I18SurrogateGradient());
    }

    @Test
    void i19DeltaScoreIsMinusEpsOverSigmaAndSdsGradientIsItsChainRule() {
        holds(new I19SdsScore());
    }

    @Test
    void catalogListsI14ToI19InOrderWithEquations() {
        List<Identity<?>> all = DistillIdentities.all();
        assertEquals(List.of("I14", "I15", "I16", "I17", "I18", "I19"), all.stream().map(Identity::id).toList());
        for (Identity<?> i : all) {
            assertTrue(!i.name().isBlank() && !i.equation().isBlank(), i.id());
        }
    }

    /** The measures are sharp: the input closest to its tolerance over many inputs, printed for the record. */
    @Test
    void closestInputsAreReportedInUnitsOfEps() {
        try (var b = Backends.use(Backends.scalar())) {
            for (Identity<?> i : DistillIdentities.all()) {
                Finding<?> f = Identities.closest(i, 1, 200);
                System.out.printf("%s %-45s worst %.3e (%.2f eps), tolerance %.3e, at %s%n", i.id(), i.name(), f.error(),
                        f.error() / Math.ulp(1.0), f.tolerance(), f.input());
                assertTrue(f.holds(), i.id() + " at " + f.input());
            }
        }
    }
}
