package dev.distillery.identities;

import dev.distillery.diffusion.identities.Choices;
import dev.distillery.diffusion.identities.EdgeChoices;
import dev.distillery.diffusion.identities.Identity;
import dev.distillery.proptest.Gen;
import dev.distillery.proptest.Gens;
import dev.distillery.proptest.Shrinkable;
import dev.distillery.proptest.Shrinkers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * An identity's inputs as a harness generator, with shrink trees (issue 21). The identity builds
 * its input record from named {@link Choices} ({@link Identity#input}); here every choice is drawn
 * by the harness generator of its kind ({@link Gens#doubles(double, double, double...)},
 * {@link Gens#ints}, {@link Gens#shapes(int, int, int)}, {@link MathGens#dataValues()} for data)
 * and shrinks with the harness's {@link Shrinkers}, a real first to its declared edges and a data
 * value first to 0 and +-1 (see {@link Real} and {@link MathGens#shrinkData}, so that a shrunk
 * input reads t = 0.5, x = 1.0 rather than a point one ulp from where the failure stops). The
 * input's own tree shrinks one choice at a time, first
 * choice first: each candidate replaces that choice by one of its simpler values and calls
 * {@link Identity#input} again, the other choices answered from the recording by name (so a
 * smaller T or shape does not shift the data onto other choices; a value that no longer fits its
 * new bounds is clamped, an array cut or padded with zeros, a choice never seen before answered
 * with its simplest value). So a failure shrinks to the first family, the fewest steps, the edge
 * time, the smallest shape and data of 0 that still fail, and the report prints that input.
 *
 * <p>Edge cases: combination k answers every choice with its k-th edge ({@link EdgeChoices}, the
 * same edges {@code distillery audit} tries), tried before the random inputs and shrunk like them.
 */
final class IdentityGen<I> implements Gen<I> {
    private final Function<Choices, I> build;

    private IdentityGen(Function<Choices, I> build) {
        this.build = build;
    }

    /** The inputs of {@code identity}. */
    static <I> Gen<I> of(Identity<I> identity) {
        return new IdentityGen<>(identity::input);
    }

    /** The values {@code build} makes from choices (for tests of this generator). */
    static <I> Gen<I> from(Function<Choices, I> build) {
        return new IdentityGen<>(build);
    }

    @Override
    public Shrinkable<I> generate(SplittableRandom random) {
        Recorder r = Recorder.random(random);
        return node(build.apply(r), r.entries());
    }

    @Override
    public List<Shrinkable<I>> edgeCases() {
        List<Shrinkable<I>> out = new ArrayList<>();
        int combinations = 1;
        for (int k = 0; k < combinations; k++) {
            EdgeChoices edge = new EdgeChoices(k);
            Recorder r = Recorder.edge(edge);
            out.add(node(build.apply(r), r.entries()));
            combinations = Math.max(combinations, edge.combinations());
        }
        return out;
    }

    private Shrinkable<I> node(I value, List<Entry> entries) {
        return Shrinkable.of(value, () -> IntStream.range(0, entries.size()).boxed()
                .flatMap(i -> entries.get(i).node().children().map(c -> replay(entries, i, c)))
                .filter(Objects::nonNull));
    }

    /** The input with choice {@code i} replaced by {@code child}, or null when the identity refuses it. */
    private Shrinkable<I> replay(List<Entry> entries, int i, Shrinkable<Object> child) {
        Map<String, Entry> previous = new HashMap<>();
        for (Entry e : entries) {
            previous.put(e.key(), e);
        }
        Entry replaced = entries.get(i);
        previous.put(replaced.key(), new Entry(replaced.key(), replaced.request(), child));
        Recorder r = Recorder.replay(previous);
        try {
            return node(build.apply(r), r.entries());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** One answered choice: its key (name#occurrence), what was asked, and the answer's shrink tree. */
    private record Entry(String key, Request request, Shrinkable<Object> node) {
    }

    /** What a choice asked for: knows how to draw, shrink, refit and simplify an answer. */
    private sealed interface Request {
        Shrinkable<Object> draw(SplittableRandom random);

        Stream<Object> shrink(Object value);

        /** {@code value} (an answer to a request of the same kind) made valid here. */
        Object fit(Object value);

        Object simplest();

        default Shrinkable<Object> tree(Object value) {
            return Shrinkable.unfold(value, this::shrink);
        }
    }

    /**
     * A real: drawn by {@link Gens#doubles(double, double, double...)}; shrinks first to the target
     * and the declared edges and bounds, and stops at one of those (except to move to a simpler one,
     * nearer the target): an edge (t = 1/2, alpha_bar one millionth from 1) is the value worth
     * reading, not a point on the way to an arbitrary boundary. Any other value then shrinks like
     * the harness's doubles ({@link Shrinkers#towards(double, double, double)}).
     */
    private record Real(double lo, double hi, List<Double> edges) implements Request {
        @Override
        public Shrinkable<Object> draw(SplittableRandom random) {
            double[] e = edges.stream().mapToDouble(Double::doubleValue).toArray();
            return tree(Gens.doubles(lo, hi, e).sample(random));
        }

        @Override
        public Stream<Object> shrink(Object value) {
            double x = (Double) value;
            double target = Shrinkers.target(lo, hi);
            List<Double> marks = DoubleStream.concat(edges.stream().mapToDouble(Double::doubleValue), DoubleStream.of(lo, hi))
                    .filter(v -> v != target).distinct().boxed()
                    .sorted(Comparator.comparingDouble(v -> Math.abs(v - target))).toList();
            boolean onMark = x == target || marks.contains(x);
            Stream<Double> simplerMarks = Stream.concat(Stream.of(target), marks.stream())
                    .filter(v -> v != x && (!onMark || Math.abs(v - target) < Math.abs(x - target)));
            Stream<Double> towards = onMark ? Stream.empty() : Shrinkers.towards(x, lo, hi);
            return Stream.concat(simplerMarks, towards).distinct().map(v -> (Object) v);
        }

        @Override
        public Object fit(Object value) {
            return Math.min(hi, Math.max(lo, (Double) value));
        }

        @Override
        public Object simplest() {
            return Shrinkers.target(lo, hi);
        }
    }

    private record Int(int lo, int hi, List<Integer> edges) implements Request {
        @Override
        public Shrinkable<Object> draw(SplittableRandom random) {
            Gen<Integer> uniform = Gens.ints(lo, hi);
            List<Integer> all = IntStream.concat(edges.stream().mapToInt(Integer::intValue), IntStream.of(lo, hi))
                    .distinct().boxed().toList();
            int value = random.nextInt(5) == 0 ? all.get(random.nextInt(all.size())) : uniform.sample(random);
            return tree(value);
        }

        @Override
        public Stream<Object> shrink(Object value) {
            return Shrinkers.towards((Integer) value, Shrinkers.target(lo, hi))
                    .filter(v -> v >= lo && v <= hi).map(v -> (Object) v.intValue());
        }

        @Override
        public Object fit(Object value) {
            return Math.min(hi, Math.max(lo, (Integer) value));
        }

        @Override
        public Object simplest() {
            return (int) Shrinkers.target(lo, hi);
        }
    }

    /** An index into the options. */
    private record Pick(int size) implements Request {
        @Override
        public Shrinkable<Object> draw(SplittableRandom random) {
            return Gens.ints(0, size - 1).generate(random).map(x -> (Object) x);
        }

        @Override
        public Stream<Object> shrink(Object value) {
            return Shrinkers.towards((Integer) value, 0L).map(v -> (Object) v.intValue());
        }

        @Override
        public Object fit(Object value) {
            return (Integer) value < size ? value : null;
        }

        @Override
        public Object simplest() {
            return 0;
        }
    }

    private record Data(int n) implements Request {
        @Override
        public Shrinkable<Object> draw(SplittableRandom random) {
            Gen<Double> values = MathGens.dataValues();
            double[] xs = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = values.sample(random);
            }
            return tree(xs);
        }

        /** One element at a time, as {@link MathGens#shrinkData}: 0, then +-1, then toward 0, whole numbers and short decimals. */
        @Override
        public Stream<Object> shrink(Object value) {
            double[] xs = (double[]) value;
            return IntStream.range(0, xs.length).boxed().flatMap(i ->
                    MathGens.shrinkData(xs[i]).map(c -> {
                        double[] out = xs.clone();
                        out[i] = c;
                        return (Object) out;
                    }));
        }

        @Override
        public Object fit(Object value) {
            return Arrays.copyOf((double[]) value, n);
        }

        @Override
        public Object simplest() {
            return new double[n];
        }
    }

    private record Shape(int minRank, int maxRank, int maxDim) implements Request {
        @Override
        public Shrinkable<Object> draw(SplittableRandom random) {
            return Gens.shapes(minRank, maxRank, maxDim).generate(random).map(x -> (Object) x);
        }

        /** Fewer dims (dropping one), then smaller dims. */
        @Override
        public Stream<Object> shrink(Object value) {
            int[] dims = (int[]) value;
            Stream<Object> fewer = dims.length <= minRank ? Stream.empty()
                    : IntStream.range(0, dims.length).mapToObj(i -> (Object) IntStream.range(0, dims.length)
                            .filter(j -> j != i).map(j -> dims[j]).toArray());
            Stream<Object> smaller = IntStream.range(0, dims.length).boxed().flatMap(i ->
                    Shrinkers.towards(dims[i], 1L).map(d -> {
                        int[] out = dims.clone();
                        out[i] = d.intValue();
                        return (Object) out;
                    }));
            return Stream.concat(fewer, smaller);
        }

        @Override
        public Object fit(Object value) {
            int[] dims = (int[]) value;
            int rank = Math.min(maxRank, Math.max(minRank, dims.length));
            int[] out = new int[rank];
            for (int i = 0; i < rank; i++) {
                out[i] = i < dims.length ? Math.min(maxDim, dims[i]) : 1;
            }
            return out;
        }

        @Override
        public Object simplest() {
            int[] out = new int[minRank];
            Arrays.fill(out, 1);
            return out;
        }
    }

    /** Answers choices (drawn, edge or replayed) and records them by key, in order. */
    private static final class Recorder implements Choices {
        private final SplittableRandom random;
        private final EdgeChoices edge;
        private final Map<String, Entry> previous;
        private final Map<String, Entry> entries = new LinkedHashMap<>();
        private final Map<String, Integer> occurrences = new HashMap<>();

        private Recorder(SplittableRandom random, EdgeChoices edge, Map<String, Entry> previous) {
            this.random = random;
            this.edge = edge;
            this.previous = previous;
        }

        static Recorder random(SplittableRandom random) {
            return new Recorder(random, null, null);
        }

        static Recorder edge(EdgeChoices edge) {
            return new Recorder(null, edge, null);
        }

        static Recorder replay(Map<String, Entry> previous) {
            return new Recorder(null, null, previous);
        }

        List<Entry> entries() {
            return List.copyOf(entries.values());
        }

        private Object answer(String name, Request request, Supplier<Object> edgeValue) {
            String key = name + "#" + occurrences.merge(name, 1, Integer::sum);
            Shrinkable<Object> node;
            if (random != null) {
                node = request.draw(random);
            } else if (edge != null) {
                node = request.tree(edgeValue.get());
            } else {
                Entry old = previous.get(key);
                if (old == null || old.request().getClass() != request.getClass()) {
                    node = request.tree(request.simplest());
                } else if (old.request().equals(request)) {
                    node = old.node();
                } else {
                    Object fitted = request.fit(old.node().value());
                    node = request.tree(fitted == null ? request.simplest() : fitted);
                }
            }
            entries.put(key, new Entry(key, request, node));
            return node.value();
        }

        @Override
        public double real(String name, double lo, double hi, double... edges) {
            List<Double> e = DoubleStream.of(edges).boxed().toList();
            return (Double) answer(name, new Real(lo, hi, e), () -> edge.real(name, lo, hi, edges));
        }

        @Override
        public int integer(String name, int lo, int hi, int... edges) {
            List<Integer> e = IntStream.of(edges).boxed().toList();
            return (Integer) answer(name, new Int(lo, hi, e), () -> edge.integer(name, lo, hi, edges));
        }

        @Override
        public <E> E pick(String name, List<E> options) {
            int index = (Integer) answer(name, new Pick(options.size()), () -> options.indexOf(edge.pick(name, options)));
            return options.get(index);
        }

        @Override
        public double[] data(String name, int n) {
            return ((double[]) answer(name, new Data(n), () -> edge.data(name, n))).clone();
        }

        @Override
        public int[] shape(String name, int minRank, int maxRank, int maxDim) {
            return ((int[]) answer(name, new Shape(minRank, maxRank, maxDim), () -> edge.shape(name, minRank, maxRank, maxDim)))
                    .clone();
        }
    }
}
