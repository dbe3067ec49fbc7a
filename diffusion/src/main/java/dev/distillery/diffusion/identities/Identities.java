package dev.distillery.diffusion.identities;

import java.util.List;

/** The identity catalog of MATH.md, in order (the {@code audit} command prints it). */
public final class Identities {
    private Identities() {}

    /** I1..I13. */
    public static List<Identity> all() {
        return List.of(new I1MarginalComposition(), new I2PosteriorBayes(), new I3PosteriorMeanEpsForm(),
                new I4ContinuousPosterior(), new I5VlbEpsWeight(), new I6PredictionRoundTrip(), new I7LossWeights(),
                new I8Tweedie(), new I9DdimEtaOneIsDdpm(), new I10DdimPointMass(), new I11OdeSolverOrders(),
                new I12GuidanceScoreForm(), new I13MixtureScoreAutodiff());
    }
}
