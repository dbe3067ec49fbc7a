package dev.distillery.diffusion.identities;

import java.util.List;

/**
 * Where an identity's input comes from: the identity asks for each of its choices (a time, a
 * schedule family, a step count, data values, a shape) by name, and {@link Identity#input} builds
 * the input record from the answers. Three sources answer:
 *
 * <ul>
 *   <li>{@link SeededChoices}: random answers from a seed, the points where the math is
 *       ill-conditioned drawn much more often than uniform draws would (audit, module tests);</li>
 *   <li>{@link EdgeChoices}: the k-th edge of every choice (t near 0 and 1, alpha_bar near 0
 *       and 1, the smallest and largest shapes, outliers), tried before any random input;</li>
 *   <li>the property harness (module {@code proptests/identities}, its tests): answers drawn from
 *       the harness's generators, each with its shrink tree, so that a failing input shrinks one
 *       choice at a time (the smallest time, the first family, the fewest steps, data of 0) and is
 *       rebuilt by calling {@link Identity#input} again.</li>
 * </ul>
 *
 * <p>Why names: when shrinking changes one choice (fewer steps, a smaller shape), the other choices
 * are found again by name (the n-th request of a name is {@code name#n}), so they keep their values
 * instead of sliding onto each other. A choice asked again with other bounds keeps its value if it
 * still fits (clamped or cut to the new bounds otherwise).
 *
 * <p>Shrinking aims at, per kind: reals toward 0 or the bound nearest 0 (then whole numbers and short
 * decimals), integers likewise, a pick toward the first option, data values toward 0, shapes toward
 * fewer and smaller dims. An identity orders its ranges so that these targets are the simplest
 * inputs (e.g. a time in {@code [1e-6, 1]} shrinks toward 1e-6, an exponent in [-2, 2] toward 0,
 * i.e. a scale of 1).
 */
public interface Choices {
    /** Outliers among data values are {@code +-10^k}, k up to this (and the data choices shrink within it). */
    double MAX_DATA = 1e6;

    /** A double in {@code [lo, hi]}; {@code edges} (inside the range) and the bounds are drawn often and tried first. */
    double real(String name, double lo, double hi, double... edges);

    /** An int in {@code [lo, hi]}; {@code edges} (inside the range) as for {@link #real}. */
    int integer(String name, int lo, int hi, int... edges);

    /** One of {@code options} (not empty); shrinks toward the first. */
    <E> E pick(String name, List<E> options);

    /**
     * {@code n} data values: standard normal, one in five an outlier {@code +-10^k}, k in [2, 6].
     * Their edges mix 0, 1, -1, {@code +-1e6} and 1e-6.
     */
    double[] data(String name, int n);

    /** A tensor shape of rank {@code minRank} to {@code maxRank}, dims in {@code [1, maxDim]}. */
    int[] shape(String name, int minRank, int maxRank, int maxDim);

    /** One data value ({@link #data(String, int)} with n = 1). */
    default double datum(String name) {
        return data(name, 1)[0];
    }

    /** False or true; shrinks toward false. */
    default boolean coin(String name) {
        return pick(name, List.of(false, true));
    }
}
