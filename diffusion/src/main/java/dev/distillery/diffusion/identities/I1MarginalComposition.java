package dev.distillery.diffusion.identities;

import dev.distillery.diffusion.schedule.ForwardProcessIdentities;

/**
 * I1 (MATH 1): composing the one-step transitions gives the marginal: mean factor
 * {@code prod sqrt(a_i) = sqrt(abar_t)}, variance recursion {@code v_t = a_t v_{t-1} + beta_t}
 * gives {@code 1 - abar_t}. Input: a discrete schedule of any family, T in [2, 1000] (edges 2 and
 * 1000). Error: {@link ForwardProcessIdentities#i1Error} (absolute, the worst over t = 1..T).
 *
 * <p>Tolerance from the input: the recursions make three roundings per step of values at most 1
 * and are contractive, so their error grows like {@code 2 t eps}, and the references carry about
 * {@code t eps} more: {@code 4 T eps} for this schedule's T ({@link ForwardProcessIdentities#i1Bound}),
 * not the {@code 4000 eps} that T = 1000 needs (250 times too loose at T = 4).
 */
public final class I1MarginalComposition implements Identity<ScheduleCase> {
    @Override public String id() { return "I1"; }
    @Override public String name() { return "one-step transitions compose to the marginal"; }
    @Override public String equation() { return "prod sqrt(a_i) = sqrt(abar_t); v_t = a_t v_{t-1} + beta_t = 1 - abar_t"; }

    @Override
    public ScheduleCase input(Choices c) {
        return ScheduleCase.choose(c, ScheduleCase.DISCRETE);
    }

    @Override
    public double error(ScheduleCase in) {
        return ForwardProcessIdentities.i1Error(in.discrete());
    }

    @Override
    public double tolerance(ScheduleCase in) {
        return ForwardProcessIdentities.i1Bound(in.discrete());
    }
}
