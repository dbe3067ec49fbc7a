package dev.distillery.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Identity I1 (MATH.md section 1) on every discrete schedule, T from 1 to 4000. */
class ForwardProcessIdentitiesTest {

    @Test
    void composingOneStepTransitionsGivesTheMarginal() {
        for (int steps : new int[] {1, 2, 10, 100, 1000, 4000}) {
            List<DiscreteSchedule> all = new java.util.ArrayList<>(List.of(DiscreteSchedules.linear(steps),
                    DiscreteSchedules.scaledLinear(steps), DiscreteSchedules.cosine(steps)));
            if (steps >= 2) {
                all.add(DiscreteSchedules.rescaleZeroTerminalSnr(DiscreteSchedules.linear(steps)));
                all.add(DiscreteSchedules.rescaleZeroTerminalSnr(DiscreteSchedules.cosine(steps)));
            }
            for (DiscreteSchedule s : all) {
                double err = ForwardProcessIdentities.i1Error(s);
                double bound = ForwardProcessIdentities.i1Bound(s); // 4 T eps, see its Javadoc
                assertTrue(err <= bound, s + ": I1 error " + err + " > bound " + bound);
            }
        }
    }

    /** The measure is not vacuous: a schedule whose abar disagrees with its betas is caught. */
    @Test
    void i1ErrorDetectsAWrongMarginal() {
        DiscreteSchedule s = DiscreteSchedules.linear(10);
        DiscreteSchedule other = DiscreteSchedules.linear(10, 1e-4, 0.0200001);
        double mixedVariance = 0.0;
        for (int t = 1; t <= 10; t++) {
            mixedVariance = other.oneStepSignalFactor(t) * mixedVariance + other.beta(t);
        }
        assertTrue(Math.abs(mixedVariance - s.oneMinusAlphaBar(10)) > 100 * ForwardProcessIdentities.i1Bound(s));
        assertTrue(ForwardProcessIdentities.i1Error(s) < ForwardProcessIdentities.i1Bound(s));
    }
}
