package dev.distillery.proptest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A generator of test values: from a seeded random source to a value together with its shrink
 * tree (see {@link Shrinkable}), so that a failing value can be simplified afterwards.
 *
 * <p>Why seeded: the same seed gives the same values, so a failure seen once can be replayed.
 * Built-in generators live in {@link Gens}; this type holds the combinators.
 *
 * <pre>{@code
 * Gen<int[]> squares = Gens.ints(1, 8).map(n -> new int[] {n, n});
 * Gen<Tuple2<Integer, Double>> pairs = Gen.zip(Gens.ints(0, 9), Gens.doubles(-1, 1));
 * }</pre>
 *
 * @param <T> the type of the generated values
 */
@FunctionalInterface
public interface Gen<T> {

    /** How many values in a row {@link #filter} may reject before it gives up. */
    int MAX_FILTER_REJECTIONS = 1000;

    /** One value and its shrink tree, drawn from {@code random} (which this call advances). */
    Shrinkable<T> generate(SplittableRandom random);

    /**
     * Values worth trying before any random one: boundaries, zeros, denormals, the points where
     * the math is ill-conditioned. The runner checks them first (on top of the random tries),
     * and shrinks a failing one like a drawn value. Why first: a uniform draw from [0, 1] hits
     * exactly 0, 1 or {@code Double.MIN_VALUE} with probability zero, yet that is where formulas
     * divide by zero or lose precision. Empty unless declared with {@link #withEdgeCases}; the
     * combinators ({@code map}, {@code zip}, ...) do not carry them, because a mapped edge is not
     * in general an edge of the result.
     */
    default List<Shrinkable<T>> edgeCases() {
        return List.of();
    }

    /**
     * This generator with {@code edges} declared as its edge cases (see {@link #edgeCases}),
     * tried in the given order. An edge case shrinks with {@code shrink}, like values from
     * {@link #of}; pass {@code x -> Stream.empty()} to keep it as is.
     */
    default Gen<T> withEdgeCases(List<? extends T> edges, Function<? super T, ? extends Stream<? extends T>> shrink) {
        Gen<T> self = this;
        List<T> fixed = List.copyOf(edges);
        return new Gen<>() {
            @Override
            public Shrinkable<T> generate(SplittableRandom random) {
                return self.generate(random);
            }

            @Override
            public List<Shrinkable<T>> edgeCases() {
                List<Shrinkable<T>> out = new ArrayList<>(fixed.size());
                for (T e : fixed) {
                    out.add(Shrinkable.unfold(e, shrink));
                }
                return out;
            }
        };
    }

    /** Just the value of {@link #generate}. */
    default T sample(SplittableRandom random) {
        return generate(random).value();
    }

    /** The first {@code count} values drawn from {@code seed}: handy to look at a generator. */
    default List<T> samples(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<T> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(sample(random));
        }
        return out;
    }

    /** Values transformed by {@code f}; shrinking shrinks the original value and maps again. */
    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return random -> generate(random).map(f);
    }

    /**
     * Only values that pass {@code keep}; shrinks only to values that pass too. Draws again on
     * rejection, and throws {@link IllegalStateException} after {@value #MAX_FILTER_REJECTIONS}
     * rejections in a row: a filter that strict wants a generator that builds valid values.
     */
    default Gen<T> filter(Predicate<? super T> keep) {
        return random -> {
            T last = null;
            for (int i = 0; i < MAX_FILTER_REJECTIONS; i++) {
                Shrinkable<T> candidate = generate(random);
                if (keep.test(candidate.value())) {
                    return candidate.filter(keep);
                }
                last = candidate.value();
            }
            throw new IllegalStateException("Gen.filter rejected " + MAX_FILTER_REJECTIONS
                    + " values in a row, so the filter is too strict for its generator (last rejected: "
                    + Show.value(last) + "). Generate valid values directly, e.g. with map, instead of filtering.");
        };
    }

    /**
     * Values from a generator chosen by this one's value. Shrinking first shrinks this value and
     * draws the dependent value again from the same seed, then shrinks the dependent value.
     */
    default <R> Gen<R> flatMap(Function<? super T, ? extends Gen<R>> f) {
        return random -> {
            Shrinkable<T> outer = generate(random);
            long innerSeed = random.nextLong();
            return outer.flatMap(t -> f.apply(t).generate(new SplittableRandom(innerSeed)));
        };
    }

    /**
     * A generator from a plain draw function and a shrinker. {@code shrink} lists values simpler
     * than its argument, simplest first; it must be finite and never return its argument.
     */
    static <T> Gen<T> of(Function<SplittableRandom, ? extends T> draw,
                         Function<? super T, ? extends Stream<? extends T>> shrink) {
        return random -> Shrinkable.unfold(draw.apply(random), shrink);
    }

    /** Always {@code value}; never shrinks. */
    static <T> Gen<T> constant(T value) {
        return random -> Shrinkable.leaf(value);
    }

    /** A value from one of {@code gens}, chosen uniformly; shrinks toward the earlier generators. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        if (gens.length == 0) {
            throw new IllegalArgumentException("oneOf needs at least one generator");
        }
        List<Gen<? extends T>> choices = List.copyOf(Arrays.asList(gens));
        return Gens.ints(0, choices.size() - 1).flatMap(i -> choices.get(i).<T>map(x -> x));
    }

    /**
     * Lists whose length is drawn from {@code sizes} and whose elements from {@code elements}.
     * Shrinks by dropping elements (only to lengths that {@code sizes} shrinks to, so a minimum
     * length holds), then by shrinking elements one at a time.
     */
    static <T> Gen<List<T>> listOf(Gen<Integer> sizes, Gen<T> elements) {
        return random -> {
            Shrinkable<Integer> size = sizes.generate(random);
            int n = size.value();
            if (n < 0) {
                throw new IllegalArgumentException("listOf: size generator gave " + n);
            }
            List<Shrinkable<T>> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                items.add(elements.generate(random));
            }
            return Shrinkable.list(size, items);
        };
    }

    /** Pairs of independent values combined by {@code combine}; shrinks {@code a} first, then {@code b}. */
    static <A, B, R> Gen<R> zip(Gen<A> a, Gen<B> b, BiFunction<? super A, ? super B, ? extends R> combine) {
        return zip(a, b).map(t -> combine.apply(t.first(), t.second()));
    }

    /** Pairs of independent values; shrinks the first component first. */
    static <A, B> Gen<Tuple2<A, B>> zip(Gen<A> a, Gen<B> b) {
        return parts(a, b).map(v -> new Tuple2<>(cast(v.get(0)), cast(v.get(1))));
    }

    /** Triples of independent values; shrinks the components in order. */
    static <A, B, C> Gen<Tuple3<A, B, C>> zip(Gen<A> a, Gen<B> b, Gen<C> c) {
        return parts(a, b, c).map(v -> new Tuple3<>(cast(v.get(0)), cast(v.get(1)), cast(v.get(2))));
    }

    /** Quadruples of independent values; shrinks the components in order. */
    static <A, B, C, D> Gen<Tuple4<A, B, C, D>> zip(Gen<A> a, Gen<B> b, Gen<C> c, Gen<D> d) {
        return parts(a, b, c, d).map(v ->
                new Tuple4<>(cast(v.get(0)), cast(v.get(1)), cast(v.get(2)), cast(v.get(3))));
    }

    /**
     * Lists of one independent value from each of {@code gens}, in order; shrinks the components in
     * order. Unlike {@code zip} it carries edge cases: combination {@code k} takes the {@code k}-th
     * edge case of every generator that has one (cycling through shorter lists), so each edge case
     * of each component is tried at least once, all first edges (typically the zeros) together
     * first. A component without edge cases takes a value drawn from a fixed seed. Used by the
     * JUnit extension for the parameters of a property method.
     */
    static Gen<List<Object>> all(List<? extends Gen<?>> gens) {
        List<Gen<?>> parts = List.copyOf(gens);
        return new Gen<>() {
            @Override
            public Shrinkable<List<Object>> generate(SplittableRandom random) {
                return parts(parts.toArray(new Gen<?>[0])).generate(random);
            }

            @Override
            public List<Shrinkable<List<Object>>> edgeCases() {
                List<List<Shrinkable<Object>>> perPart = new ArrayList<>();
                int combinations = 0;
                for (Gen<?> g : parts) {
                    List<Shrinkable<Object>> edges = new ArrayList<>();
                    g.edgeCases().forEach(e -> edges.add(e.map(x -> (Object) x)));
                    perPart.add(edges);
                    combinations = Math.max(combinations, edges.size());
                }
                // A fixed seed: the filler values of edge-case combinations are the same on every run.
                SplittableRandom filler = new SplittableRandom(0x5EED_ED6EL);
                List<Shrinkable<List<Object>>> out = new ArrayList<>(combinations);
                for (int k = 0; k < combinations; k++) {
                    List<Shrinkable<Object>> combo = new ArrayList<>(parts.size());
                    for (int i = 0; i < parts.size(); i++) {
                        List<Shrinkable<Object>> edges = perPart.get(i);
                        combo.add(edges.isEmpty()
                                ? parts.get(i).generate(filler).map(x -> (Object) x)
                                : edges.get(k % edges.size()));
                    }
                    out.add(Shrinkable.product(combo));
                }
                return out;
            }
        };
    }

    private static Gen<List<Object>> parts(Gen<?>... gens) {
        return random -> {
            List<Shrinkable<Object>> drawn = new ArrayList<>(gens.length);
            for (Gen<?> g : gens) {
                drawn.add(g.generate(random).map(x -> (Object) x));
            }
            return Shrinkable.product(drawn);
        };
    }

    @SuppressWarnings("unchecked")
    private static <X> X cast(Object o) {
        return (X) o;
    }
}
