package dev.distillery.identities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.diffusion.identities.I3PosteriorMeanEpsForm;
import dev.distillery.diffusion.identities.ScheduleCase;
import dev.distillery.distill.core.ProgressiveTarget;
import dev.distillery.distill.identities.I14ProgressiveTargetInversion;
import dev.distillery.distill.identities.I17StraightCouplingEuler;
import dev.distillery.proptest.PropertyFailure;

import org.junit.jupiter.api.Test;

/**
 * What a wrong formula looks like to the catalogue's properties ({@link CatalogPropertyTest#property}):
 * each test passes an identity a deliberately wrong version of the formula it checks, and asserts
 * that the named property fails and that its counterexample is shrunk to a small, readable input:
 * the smallest shape, data of 0 and 1, the first schedule family with the fewest steps, and the
 * time or step at the edge where the mistake first shows.
 */
class WrongFormulaPropertyTest {

    /** The failure of {@code property}, printed (surefire's output file shows what a reader would see). */
    private static PropertyFailure failure(Runnable property) {
        PropertyFailure f = assertThrows(PropertyFailure.class, property::run);
        System.out.println(f.getMessage());
        return f;
    }

    /** The Euler step with the sign of {@code s - t} flipped: right only where s = t. */
    @Test
    void aFlippedEulerStepShrinksToOneElementFromTimeZeroToAnEdge() {
        var wrong = new I17StraightCouplingEuler((zt, v, t, s) -> zt.add(v.mul(t - s)));
        PropertyFailure f = failure(() -> CatalogPropertyTest.property(wrong, CatalogPropertyTest.TRIES));
        var in = assertInstanceOf(I17StraightCouplingEuler.Input.class, f.shrunkValue());
        String report = f.getMessage();
        assertTrue(report.startsWith("Property 'CatalogPropertyTest.I17' failed"), report);
        assertTrue(report.contains("shrunk counterexample:   shape [1, 1], X_0 = [0.0], X_1 = [1.0], t = 0.0, s = 0.5"),
                report);
        assertTrue(report.contains("I17 (Euler step on a straight coupling): error"), report);
        assertEquals(0.0, in.t());
    }

    /**
     * The posterior mean's eps form divided by {@code sqrt(abar_t)} instead of {@code sqrt(a_t)}: the
     * two agree at t = 1 (abar_1 = a_1), so the smallest counterexample is t = 2 of T = 2 on the
     * first family, with x_t = 0 and eps = 1.
     */
    @Test
    void aWrongDivisorInThePosteriorMeanShrinksToTheSecondStepOfTheSmallestSchedule() {
        var wrong = new I3PosteriorMeanEpsForm((s, t, xt, eps) ->
                (xt - s.beta(t) / s.sigma(t) * eps) / s.alpha(t));
        PropertyFailure f = failure(() -> CatalogPropertyTest.property(wrong, CatalogPropertyTest.TRIES));
        var in = assertInstanceOf(I3PosteriorMeanEpsForm.Input.class, f.shrunkValue());
        assertEquals(ScheduleCase.Family.LINEAR, in.schedule().family(), f.getMessage());
        assertEquals(2, in.schedule().steps(), f.getMessage());
        assertEquals(2, in.t(), f.getMessage());
        assertTrue(f.getMessage().contains("shrunk counterexample:   LINEAR(T = 2), t = 2, x_t = "), f.getMessage());
    }

    /**
     * The target inversion with {@code alpha_t'' + r alpha_t} in the denominator (a sign slip): exact
     * at the last student step (t'' = 0, r = 0), wrong on every other, so the step shrinks to i = 2
     * of N = 2, the smallest grid with t'' &gt; 0.
     */
    @Test
    void aSignSlipInTheTargetInversionShrinksToTheSmallestGridWhereItShows() {
        var wrong = new I14ProgressiveTargetInversion((schedule, zt, zNext, t, tNext) -> {
            double ratio = schedule.sigma(tNext) / schedule.sigma(t);
            return zNext.sub(zt.mul(ratio)).div(schedule.alpha(tNext) + ratio * schedule.alpha(t));
        });
        PropertyFailure f = failure(() -> CatalogPropertyTest.property(wrong, CatalogPropertyTest.TRIES));
        var in = assertInstanceOf(I14ProgressiveTargetInversion.Input.class, f.shrunkValue());
        assertEquals(2, in.n(), f.getMessage());
        assertEquals(2, in.i(), f.getMessage());
        assertEquals(ScheduleCase.Family.LINEAR, in.schedule().family(), f.getMessage());
        assertTrue(f.getMessage().contains("shrunk counterexample:   LINEAR(T = 2), step i = 2 of N = 2, shape [1, 1]"),
                f.getMessage());
    }

    /** The right formulas pass the same properties (the failures above are the formulas', not the harness's). */
    @Test
    void theLibrarysFormulasPass() {
        CatalogPropertyTest.property(new I17StraightCouplingEuler(), 50);
        CatalogPropertyTest.property(new I3PosteriorMeanEpsForm(), 50);
        CatalogPropertyTest.property(new I14ProgressiveTargetInversion(ProgressiveTarget::xTilde), 50);
    }
}
