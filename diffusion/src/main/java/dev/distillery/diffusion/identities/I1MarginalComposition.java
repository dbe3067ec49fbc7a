package dev.distillery.diffusion.identities;

import dev.distillery.diffusion.schedule.ForwardProcessIdentities;
import java.util.SplittableRandom;

/**
 * I1 (MATH 1): composing the one-step transitions gives the marginal: mean factor
 * {@code prod sqrt(a_i) = sqrt(abar_t)}, variance recursion {@code v_t = a_t v_{t-1} + beta_t}
 * gives {@code 1 - abar_t}. Error: {@link ForwardProcessIdentities#i1Error} (absolute), at most
 * {@code 4 T eps} by the analysis there; with T &lt;= 1000 the tolerance is {@code 4000 eps}.
 */
public final class I1MarginalComposition implements Identity {
    @Override public String id() { return "I1"; }
    @Override public String name() { return "one-step transitions compose to the marginal"; }
    @Override public String equation() { return "prod sqrt(a_i) = sqrt(abar_t); v_t = a_t v_{t-1} + beta_t = 1 - abar_t"; }
    @Override public double tolerance() { return 4.0 * Inputs.MAX_STEPS * EPS; }

    @Override
    public double worstError(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double w = 0;
        for (int i = 0; i < 3; i++) {
            w = Math.max(w, ForwardProcessIdentities.i1Error(Inputs.discrete(r)));
        }
        return w;
    }
}
