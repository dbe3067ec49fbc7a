package dev.distillery.diffusion.identities;

/**
 * One input of an identity with its error and tolerance: what {@link Identities#closest} returns
 * (the input that came closest to its tolerance) and what {@code distillery audit} prints.
 *
 * @param identity the identity
 * @param input the input (its {@code toString} is the readable form)
 * @param error the identity's error there (NaN is kept as NaN, and counts as a failure)
 * @param tolerance the identity's tolerance there
 * @param origin where the input came from: "edge case k" or "try i of seed s" (replayable with
 *               {@link Identities#draw})
 * @param <I> the input type
 */
public record Finding<I>(Identity<I> identity, I input, double error, double tolerance, String origin) {
    /** The error as a share of the tolerance: 0.5 is half of it; for tolerance 0, 0 or infinity; NaN error: infinity. */
    public double share() {
        if (Double.isNaN(error)) {
            return Double.POSITIVE_INFINITY;
        }
        if (error == 0) {
            return 0;
        }
        return tolerance > 0 ? error / tolerance : Double.POSITIVE_INFINITY;
    }

    /** True when the error is within the tolerance (and not NaN). */
    public boolean holds() {
        return error <= tolerance;
    }

    /** Evaluates {@code identity} at {@code input}. */
    public static <I> Finding<I> at(Identity<I> identity, I input, String origin) {
        return new Finding<>(identity, input, identity.error(input), identity.tolerance(input), origin);
    }
}
