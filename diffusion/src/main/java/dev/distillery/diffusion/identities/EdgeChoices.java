package dev.distillery.diffusion.identities;

import java.util.Arrays;
import java.util.List;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

/**
 * The k-th edge case of an identity's input space: every choice answers with its k-th edge
 * (cycling through shorter lists), so that combination 0 takes every first edge, and each edge of
 * each choice is taken at least once over {@link #combinations()} combinations. Why: a uniform draw
 * hits exactly t = 1e-6, alpha_bar one ulp below 1, a shape of one element or a data value of 1e6
 * with probability about zero, yet that is where formulas divide by zero or lose their digits.
 *
 * <p>The edges, per kind: reals and integers their declared edges, then the bounds; picks every
 * option in order; data values {@link #DATA_EDGES}, element j of combination k taking number
 * {@code k + j}, so one array mixes zeros, ones and outliers; shapes the smallest (rank minRank, dims
 * 1), the largest (rank maxRank, dims maxDim) and an odd one (maxRank, dims alternating maxDim and 1).
 */
public final class EdgeChoices implements Choices {
    /** The data values tried first, in this order (element j of combination k takes number k + j). */
    public static final List<Double> DATA_EDGES = List.of(0.0, 1.0, -1.0, MAX_DATA, -MAX_DATA, 1e-6);

    private final int k;
    private int combinations = 1;

    /** The answers of edge combination {@code k} (from 0). */
    public EdgeChoices(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("edge combination " + k + " < 0");
        }
        this.k = k;
    }

    /**
     * How many combinations the choices asked so far call for: the length of the longest edge
     * list. Enumerate {@code k = 0, 1, ...} while k is below the largest value this returned.
     */
    public int combinations() {
        return combinations;
    }

    @Override
    public double real(String name, double lo, double hi, double... edges) {
        check(name, lo, hi);
        return nth(realEdges(name, lo, hi, edges));
    }

    @Override
    public int integer(String name, int lo, int hi, int... edges) {
        int[] all = intEdges(name, lo, hi, edges);
        combinations = Math.max(combinations, all.length);
        return all[k % all.length];
    }

    @Override
    public <E> E pick(String name, List<E> options) {
        combinations = Math.max(combinations, options.size());
        return options.get(k % options.size());
    }

    @Override
    public double[] data(String name, int n) {
        combinations = Math.max(combinations, DATA_EDGES.size());
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            out[j] = DATA_EDGES.get((k + j) % DATA_EDGES.size());
        }
        return out;
    }

    @Override
    public int[] shape(String name, int minRank, int maxRank, int maxDim) {
        List<int[]> all = shapeEdges(minRank, maxRank, maxDim);
        combinations = Math.max(combinations, all.size());
        return all.get(k % all.size()).clone();
    }

    private double nth(double[] all) {
        combinations = Math.max(combinations, all.length);
        return all[k % all.length];
    }

    /** The edge shapes of {@link #shape}, smallest first. */
    static List<int[]> shapeEdges(int minRank, int maxRank, int maxDim) {
        int[] smallest = new int[minRank];
        Arrays.fill(smallest, 1);
        int[] largest = new int[maxRank];
        Arrays.fill(largest, maxDim);
        int[] odd = IntStream.range(0, maxRank).map(i -> i % 2 == 0 ? maxDim : 1).toArray();
        return List.of(smallest, largest, odd);
    }

    /** {@code edges} then the bounds, without repeats; throws if an edge lies outside the range. */
    static double[] realEdges(String name, double lo, double hi, double... edges) {
        for (double e : edges) {
            if (!(e >= lo && e <= hi)) {
                throw new IllegalArgumentException(name + ": edge " + e + " lies outside [" + lo + ", " + hi + "]");
            }
        }
        return DoubleStream.concat(DoubleStream.of(edges), DoubleStream.of(lo, hi)).distinct().toArray();
    }

    /** {@code edges} then the bounds, without repeats; throws if an edge lies outside the range. */
    static int[] intEdges(String name, int lo, int hi, int... edges) {
        if (lo > hi) {
            throw new IllegalArgumentException(name + ": lo " + lo + " > hi " + hi);
        }
        for (int e : edges) {
            if (e < lo || e > hi) {
                throw new IllegalArgumentException(name + ": edge " + e + " lies outside [" + lo + ", " + hi + "]");
            }
        }
        return IntStream.concat(IntStream.of(edges), IntStream.of(lo, hi)).distinct().toArray();
    }

    static void check(String name, double lo, double hi) {
        if (!(lo <= hi) || Double.isInfinite(lo) || Double.isInfinite(hi)) {
            throw new IllegalArgumentException(name + ": need finite lo <= hi, got [" + lo + ", " + hi + "]");
        }
    }
}
