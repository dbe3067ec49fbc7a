package dev.distillery.proptest;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.DoubleStream;

/**
 * The built-in generators: numbers, arrays, tensor shapes and broadcast-compatible shape pairs.
 *
 * <p>Numbers hit the edges of their range (the bounds, and 0, 1, -1 when inside) now and then,
 * since bugs gather there, and shrink toward 0 or the bound nearest 0 (see {@link Shrinkers}).
 * Shapes shrink toward fewer and smaller dims.
 */
public final class Gens {
    /** One draw in this many is an edge value rather than a uniform one. */
    private static final int EDGE_ODDS = 10;

    private Gens() {
    }

    /** Ints in {@code [lo, hi]}, both included; shrink toward 0, or the bound nearest 0. */
    public static Gen<Integer> ints(int lo, int hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("ints: lo " + lo + " > hi " + hi);
        }
        long target = Shrinkers.target(lo, hi);
        long[] edges = {lo, hi, target};
        return Gen.of(random -> (int) (random.nextInt(EDGE_ODDS) == 0
                        ? edges[random.nextInt(edges.length)]
                        : random.nextLong(lo, (long) hi + 1)),
                x -> Shrinkers.towards(x, target).filter(v -> v >= lo && v <= hi).map(Long::intValue));
    }

    /**
     * Finite doubles in {@code [lo, hi]}: mostly uniform, sometimes an edge (a bound, or 0, 1,
     * -1 when inside). Shrink toward 0 or the bound nearest 0, preferring whole numbers.
     */
    public static Gen<Double> doubles(double lo, double hi) {
        if (!(lo <= hi) || Double.isInfinite(lo) || Double.isInfinite(hi)) {
            throw new IllegalArgumentException("doubles: need finite lo <= hi, got [" + lo + ", " + hi + "]");
        }
        double[] edges = DoubleStream.of(lo, hi, 0, 1, -1).filter(v -> v >= lo && v <= hi).distinct().toArray();
        return Gen.of(random -> random.nextInt(EDGE_ODDS) == 0
                        ? edges[random.nextInt(edges.length)]
                        : uniform(random, lo, hi),
                x -> Shrinkers.towards(x, lo, hi));
    }

    /**
     * As {@link #doubles(double, double)}, with {@code edges} added to the values drawn now and then:
     * the points of a domain where its math is ill-conditioned (a time near 0, an {@code alpha_bar}
     * one ulp below 1), which uniform draws almost never hit. Edges outside {@code [lo, hi]} are
     * refused; shrinking is the same as for {@link #doubles(double, double)}.
     */
    public static Gen<Double> doubles(double lo, double hi, double... edges) {
        Gen<Double> base = doubles(lo, hi);
        for (double e : edges) {
            if (!(e >= lo && e <= hi)) {
                throw new IllegalArgumentException("doubles: edge " + e + " lies outside [" + lo + ", " + hi + "]");
            }
        }
        double[] all = DoubleStream.concat(DoubleStream.of(edges), DoubleStream.of(lo, hi)).distinct().toArray();
        return Gen.of(random -> random.nextInt(EDGE_ODDS) < 2
                        ? all[random.nextInt(all.length)]
                        : base.sample(random),
                x -> Shrinkers.towards(x, lo, hi));
    }

    /** Arrays of length drawn from {@code lengths}, elements from {@link #doubles}; shrink shorter, then simpler. */
    public static Gen<double[]> doubleArrays(Gen<Integer> lengths, double lo, double hi) {
        return Gen.listOf(lengths, doubles(lo, hi))
                .map(xs -> xs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * Tensor shapes of rank 0 to {@code maxRank} (rank 0 is a scalar), each dim in
     * {@code [1, maxDim]}; shrink toward fewer dims, then dims of 1.
     */
    public static Gen<int[]> shapes(int maxRank, int maxDim) {
        return shapes(0, maxRank, maxDim);
    }

    /** Tensor shapes of rank {@code minRank} to {@code maxRank}, each dim in {@code [1, maxDim]}. */
    public static Gen<int[]> shapes(int minRank, int maxRank, int maxDim) {
        if (minRank < 0 || maxDim < 1) {
            throw new IllegalArgumentException("shapes: need minRank >= 0 and maxDim >= 1");
        }
        return Gen.listOf(ints(minRank, maxRank), ints(1, maxDim))
                .map(dims -> dims.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Pairs of shapes that broadcast together (see {@link BroadcastPair}), of rank 0 to
     * {@code maxRank} each and possibly different ranks, dims in {@code [1, maxDim]}.
     *
     * <p>Built so that every pair, shrunk ones included, is compatible: a common shape is
     * drawn, each side keeps its last {@code rank} dims, and a mask turns some of them into 1.
     * Shrinks toward lower ranks, then smaller common dims, then fewer 1s.
     */
    public static Gen<BroadcastPair> broadcastPair(int maxRank, int maxDim) {
        Gen<Tuple2<Integer, Integer>> ranks = Gen.zip(ints(0, maxRank), ints(0, maxRank));
        Gen<List<Boolean>> mask = Gen.listOf(Gen.constant(maxRank), ints(0, 3).map(i -> i == 3));
        return Gen.zip(ranks, shapes(0, maxRank, maxDim), mask, mask).map(t -> new BroadcastPair(
                side(t.second(), t.first().first(), t.third()),
                side(t.second(), t.first().second(), t.fourth())));
    }

    /** The last {@code rank} dims of {@code common}, with the dims {@code ones} marks (counted from the end) set to 1. */
    private static int[] side(int[] common, int rank, List<Boolean> ones) {
        int r = Math.min(rank, common.length);
        int[] out = new int[r];
        for (int i = 1; i <= r; i++) {
            out[r - i] = ones.get(i - 1) ? 1 : common[common.length - i];
        }
        return out;
    }

    /** One of {@code values}, uniformly; shrinks toward the earlier ones. */
    @SafeVarargs
    public static <T> Gen<T> elementOf(T... values) {
        return elementOf(List.of(values));
    }

    /** One of {@code values}, uniformly; shrinks toward the earlier ones. */
    public static <T> Gen<T> elementOf(List<? extends T> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("elementOf needs at least one value");
        }
        List<? extends T> choices = List.copyOf(values);
        return ints(0, choices.size() - 1).map(choices::get);
    }

    /** {@code true} or {@code false}, evenly; shrinks to {@code false}. */
    public static Gen<Boolean> booleans() {
        return elementOf(false, true);
    }

    /**
     * Ints in {@code [lo, hi]} as {@link #ints}, with the edge cases {@code lo}, {@code hi}, 0,
     * 1 and -1 (those inside) tried first; see {@link Gen#edgeCases}.
     */
    public static Gen<Integer> intsEdgeFirst(int lo, int hi) {
        long target = Shrinkers.target(lo, hi);
        List<Integer> edges = java.util.stream.IntStream.of(0, lo, hi, 1, -1)
                .filter(v -> v >= lo && v <= hi).distinct().boxed().toList();
        return ints(lo, hi).withEdgeCases(edges,
                x -> Shrinkers.towards(x, target).filter(v -> v >= lo && v <= hi).map(Long::intValue));
    }

    /**
     * Finite doubles in {@code [lo, hi]} as {@link #doubles(double, double, double...)}, with edge
     * cases tried first, in this order: 0 and -0.0, {@code extra}, the bounds, the values one ulp
     * inside them, 1 and -1, the smallest denormal {@code Double.MIN_VALUE} and smallest normal
     * {@code Double.MIN_NORMAL} and their negatives (each only when inside the range). NaN and the infinities
     * are never edge cases here: most of our formulas are specified on finite inputs only, so a
     * property that does handle them asks with {@link #withNonFinite}.
     */
    public static Gen<Double> doublesEdgeFirst(double lo, double hi, double... extra) {
        Gen<Double> base = doubles(lo, hi, extra);
        // Zeros first (as for ints): combined with other parameters' first edges they make the
        // "all zero" case, the simplest input; then the caller's domain edges, then the generic ones.
        DoubleStream candidates = DoubleStream.concat(DoubleStream.concat(DoubleStream.of(0.0, -0.0),
                DoubleStream.of(extra)), DoubleStream.of(lo, hi, Math.nextUp(lo), Math.nextDown(hi), 1, -1,
                Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL));
        // distinct() on boxed Doubles tells 0.0 from -0.0 (Double.equals compares bits), which we want.
        List<Double> edges = candidates.filter(v -> v >= lo && v <= hi).boxed().distinct().toList();
        return base.withEdgeCases(edges, x -> Shrinkers.towards(x, lo, hi));
    }

    /**
     * {@code gen} with NaN, +Infinity and -Infinity added to its edge cases (after its own) and
     * drawn now and then: for properties that must say what happens on non-finite input.
     */
    public static Gen<Double> withNonFinite(Gen<Double> gen) {
        List<Double> nonFinite = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        return new Gen<>() {
            @Override
            public Shrinkable<Double> generate(SplittableRandom random) {
                return random.nextInt(EDGE_ODDS) == 0
                        ? Shrinkable.leaf(nonFinite.get(random.nextInt(nonFinite.size())))
                        : gen.generate(random);
            }

            @Override
            public List<Shrinkable<Double>> edgeCases() {
                // gen's own edges keep their shrink trees; a non-finite value has nowhere to shrink to.
                List<Shrinkable<Double>> out = new ArrayList<>(gen.edgeCases());
                nonFinite.forEach(v -> out.add(Shrinkable.leaf(v)));
                return out;
            }
        };
    }

    private static double uniform(SplittableRandom random, double lo, double hi) {
        double u = random.nextDouble();
        double x = lo * (1 - u) + hi * u;
        return Math.min(hi, Math.max(lo, x));
    }
}
