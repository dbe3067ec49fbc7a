package dev.distillery.proptest;

/**
 * Three values drawn together by {@link Gen#zip(Gen, Gen, Gen)}; prints arrays readably.
 *
 * @param first the first value
 * @param second the second value
 * @param third the third value
 */
public record Tuple3<A, B, C>(A first, B second, C third) {
    @Override
    public String toString() {
        return "(" + Show.value(first) + ", " + Show.value(second) + ", " + Show.value(third) + ")";
    }
}
