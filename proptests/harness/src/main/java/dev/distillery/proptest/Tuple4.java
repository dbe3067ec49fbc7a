package dev.distillery.proptest;

/**
 * Four values drawn together by {@link Gen#zip(Gen, Gen, Gen, Gen)}; prints arrays readably.
 *
 * @param first the first value
 * @param second the second value
 * @param third the third value
 * @param fourth the fourth value
 */
public record Tuple4<A, B, C, D>(A first, B second, C third, D fourth) {
    @Override
    public String toString() {
        return "(" + Show.value(first) + ", " + Show.value(second) + ", " + Show.value(third)
                + ", " + Show.value(fourth) + ")";
    }
}
