package dev.distillery.diffusion.identities;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The identity catalog of MATH.md, in order (the {@code audit} command prints it), and the search over inputs. */
public final class Identities {
    private Identities() {}

    /** I1..I13. */
    public static List<Identity<?>> all() {
        return List.of(new I1MarginalComposition(), new I2PosteriorBayes(), new I3PosteriorMeanEpsForm(),
                new I4ContinuousPosterior(), new I5VlbEpsWeight(), new I6PredictionRoundTrip(), new I7LossWeights(),
                new I8Tweedie(), new I9DdimEtaOneIsDdpm(), new I10DdimPointMass(), new I11OdeSolverOrders(),
                new I12GuidanceScoreForm(), new I13MixtureScoreAutodiff());
    }

    /** Every edge case of the identity's input space ({@link EdgeChoices}), in order. */
    public static <I> List<I> edgeCases(Identity<I> identity) {
        List<I> out = new ArrayList<>();
        int combinations = 1;
        for (int k = 0; k < combinations; k++) {
            EdgeChoices edge = new EdgeChoices(k);
            out.add(identity.input(edge));
            combinations = Math.max(combinations, edge.combinations());
        }
        return out;
    }

    /** The input of try {@code i} (from 1) of {@link #closest} with this seed: the replay of a reported one. */
    public static <I> I draw(Identity<I> identity, long seed, int i) {
        SplittableRandom master = new SplittableRandom(seed);
        SplittableRandom r = master.split();
        for (int k = 1; k < i; k++) {
            r = master.split();
        }
        return identity.input(new SeededChoices(r));
    }

    /**
     * The input that comes closest to its tolerance (the largest {@link Finding#share}) among the
     * edge cases and {@code tries} random inputs drawn from {@code seed}; ties keep the first.
     * An identity that fails somewhere returns a failing input (the one with the largest share).
     */
    public static <I> Finding<I> closest(Identity<I> identity, long seed, int tries) {
        Finding<I> worst = null;
        List<I> edges = edgeCases(identity);
        for (int e = 0; e < edges.size(); e++) {
            worst = worse(worst, Finding.at(identity, edges.get(e), "edge case " + (e + 1)));
        }
        SplittableRandom master = new SplittableRandom(seed);
        for (int i = 1; i <= tries; i++) {
            I input = identity.input(new SeededChoices(master.split()));
            worst = worse(worst, Finding.at(identity, input, "try " + i + " of seed " + seed));
        }
        return worst;
    }

    private static <I> Finding<I> worse(Finding<I> a, Finding<I> b) {
        return a == null || b.share() > a.share() ? b : a;
    }
}
