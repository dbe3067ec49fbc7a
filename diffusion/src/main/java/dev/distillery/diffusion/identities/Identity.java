package dev.distillery.diffusion.identities;

/**
 * One identity of MATH.md (I1, I2, ...) as an executable check: it generates its own inputs from a
 * seed (schedules, timesteps, shapes, F64 tensors), evaluates both sides, and returns the worst
 * error. Property tests run it over generated seeds and the {@code audit} command over fixed ones,
 * asserting {@code worstError(seed) <= tolerance()}.
 *
 * <p>Unless an identity says otherwise, its error is <em>scaled</em>: the difference of the two
 * sides divided by the magnitude that float64 rounding error is proportional to for that input
 * (the sum of the absolute values of the terms, an amplification factor such as 1/sigma, ...), so
 * that one tolerance {@code c eps} ({@code eps = 2^-52}) with c counting roundings holds for every
 * input. Each class's Javadoc gives the derivation.
 */
public interface Identity {
    /** "I1", "I2", ... */
    String id();

    /** A short name. */
    String name();

    /** The equation, in MATH.md's notation. */
    String equation();

    /** The bound {@link #worstError} must not exceed. */
    double tolerance();

    /** The worst (scaled) error over the inputs generated from {@code seed}. */
    double worstError(long seed);

    /** Machine epsilon of float64, {@code 2^-52}. */
    double EPS = Math.ulp(1.0);
}
