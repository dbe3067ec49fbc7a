package dev.distillery.proptest;

/**
 * Two values drawn together by {@link Gen#zip(Gen, Gen)}; prints arrays readably.
 *
 * @param first the first value
 * @param second the second value
 */
public record Tuple2<A, B>(A first, B second) {
    @Override
    public String toString() {
        return "(" + Show.value(first) + ", " + Show.value(second) + ")";
    }
}
