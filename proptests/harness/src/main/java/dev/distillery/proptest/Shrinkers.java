package dev.distillery.proptest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Shrinkers for numbers: the simpler candidates for one value, simplest first. Used by
 * {@link Gens}, and by custom generators made with {@link Gen#of}.
 *
 * <p>"Simpler" means closer to the target (0 when the range holds 0, else the bound nearest 0),
 * and for doubles also: positive rather than negative, a whole number rather than a fraction,
 * fewer decimals rather than more. Each candidate list ends one step from the value, so greedy
 * shrinking of a monotone property stops exactly at the boundary.
 */
public final class Shrinkers {
    private static final double EXACT_WHOLE_LIMIT = 0x1p53;

    private Shrinkers() {
    }

    /** The value of {@code [lo, hi]} that shrinking aims at: 0 if inside, else the bound nearest 0. */
    public static long target(long lo, long hi) {
        return lo > 0 ? lo : Math.min(hi, 0);
    }

    /** The value of {@code [lo, hi]} that shrinking aims at: 0 if inside, else the bound nearest 0. */
    public static double target(double lo, double hi) {
        return lo > 0 ? lo : Math.min(hi, 0.0);
    }

    /**
     * Candidates between {@code target} and {@code x}: the target, then {@code -x} if the target
     * is 0 and x is negative, then x minus half the distance, a quarter, ..., down to x minus 1.
     * The caller keeps candidates inside its range ({@code -x} may leave it).
     */
    public static Stream<Long> towards(long x, long target) {
        if (x == target) {
            return Stream.empty();
        }
        List<Long> out = new ArrayList<>();
        out.add(target);
        if (target == 0 && x < 0 && x != Long.MIN_VALUE) {
            out.add(-x);
        }
        for (long half = Math.subtractExact(x, target) / 2; half != 0; half /= 2) {
            out.add(x - half);
        }
        return out.stream();
    }

    /**
     * Candidates for a double {@code x} in {@code [lo, hi]}, all inside the range and no farther
     * from the target: the target, {@code -x}, the whole number toward the target, {@code x}
     * truncated to 1, 2 and 3 decimals, then points between target and x. A whole {@code x}
     * shrinks like a long, through whole numbers only.
     */
    public static Stream<Double> towards(double x, double lo, double hi) {
        double t = target(lo, hi);
        if (x == t || Double.isNaN(x)) {
            return Stream.empty();
        }
        Set<Double> out = new LinkedHashSet<>();
        out.add(t);
        if (x < 0) {
            out.add(-x);
        }
        if (Math.abs(x) < EXACT_WHOLE_LIMIT) {
            double whole = x > t ? Math.floor(x) : Math.ceil(x);
            if (whole == x) {
                double wholeTarget = x > t ? Math.ceil(t) : Math.floor(t);
                towards((long) x, (long) wholeTarget).forEach(v -> out.add((double) v));
            } else {
                out.add(whole);
                for (double scale = 10; scale <= 1000; scale *= 10) {
                    out.add((x > t ? Math.floor(x * scale) : Math.ceil(x * scale)) / scale);
                }
                addMidpoints(x, t, 6, out);
            }
        } else {
            addMidpoints(x, t, 12, out);
        }
        double distance = Math.abs(x - t);
        return out.stream().filter(v -> v != x && v >= lo && v <= hi && Math.abs(v - t) <= distance);
    }

    private static void addMidpoints(double x, double t, int count, Set<Double> out) {
        double step = (x - t) / 2;
        for (int i = 0; i < count; i++, step /= 2) {
            out.add(x - step);
        }
    }
}
