package dev.distillery.diffusion.identities;

/**
 * One identity of MATH.md (I1, I2, ...) as an executable check over an explicit input type
 * {@code I} (a record: schedule family and parameters, times, shape, data values, ...):
 *
 * <ul>
 *   <li>{@link #input} builds one input from {@link Choices}: random ones from a seed
 *       ({@link SeededChoices}), the edge cases ({@link EdgeChoices}), or the property harness's
 *       shrinkable generators, so a failure shrinks to the simplest input that still fails;</li>
 *   <li>{@link #error} evaluates both sides at that input and returns their (scaled) difference;</li>
 *   <li>{@link #tolerance} is the bound the error must not exceed <em>at that input</em>, derived
 *       from the input's conditioning (the number of steps, a cumulative product's length, ...)
 *       where one constant would be too loose for easy inputs or too tight for hard ones.</li>
 * </ul>
 *
 * <p>The input's {@code toString} is the counterexample a failing property prints and the
 * "closest input" {@code distillery audit} prints, so it names every value that matters.
 *
 * <p>Unless an identity says otherwise, its error is <em>scaled</em>: the difference of the two
 * sides divided by the magnitude that float64 rounding error is proportional to for that input
 * (the sum of the absolute values of the terms, an amplification factor such as 1/sigma, ...), so
 * that a tolerance {@code c eps} ({@code eps = 2^-52}) with c counting roundings holds. Each
 * class's Javadoc gives the derivation.
 *
 * @param <I> the input type
 */
public interface Identity<I> {
    /** "I1", "I2", ... */
    String id();

    /** A short name. */
    String name();

    /** The equation, in MATH.md's notation. */
    String equation();

    /** One input, built from the answers of {@code choices}; never throws for any answers. */
    I input(Choices choices);

    /** The (scaled) error of the identity at {@code input}; NaN counts as a failure. */
    double error(I input);

    /** The bound {@link #error} must not exceed at {@code input}. */
    double tolerance(I input);

    /** Machine epsilon of float64, {@code 2^-52}. */
    double EPS = Math.ulp(1.0);
}
