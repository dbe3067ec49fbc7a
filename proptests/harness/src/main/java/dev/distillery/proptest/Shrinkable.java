package dev.distillery.proptest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A generated value together with its simpler alternatives, computed lazily: one node of a
 * shrink tree (a "rose tree", as in QuickCheck and Hedgehog).
 *
 * <p>Why a tree and not a function {@code T -> simpler T}: a generator built with {@link Gen#map}
 * or {@link Gen#flatMap} cannot undo its function to shrink a result, but it can map the tree
 * that produced it. Shrinking then stays inside what the generator can produce: a shrunk shape
 * keeps every dim at least 1, a shrunk broadcast pair stays compatible.
 *
 * <p>Both the value and the children are computed on first use and the value is cached, so a
 * node whose function is expensive costs nothing until the shrinker visits it. Not thread-safe.
 *
 * @param <T> the type of the value
 */
public final class Shrinkable<T> {
    private final Supplier<T> value;
    private final Supplier<Stream<Shrinkable<T>>> children;

    private Shrinkable(Supplier<T> value, Supplier<Stream<Shrinkable<T>>> children) {
        this.value = memoize(value);
        this.children = children;
    }

    /** A node with the given value and children; {@code children} is called each time they are asked for. */
    public static <T> Shrinkable<T> of(T value, Supplier<Stream<Shrinkable<T>>> children) {
        return new Shrinkable<>(() -> value, children);
    }

    /** A value that cannot shrink. */
    public static <T> Shrinkable<T> leaf(T value) {
        return of(value, Stream::empty);
    }

    /**
     * The tree obtained by applying {@code shrinker} again and again: the children of {@code value}
     * are {@code shrinker.apply(value)}, simplest first. The shrinker must return a finite stream
     * of values strictly simpler than its argument, or shrinking may not end before its limit.
     */
    public static <T> Shrinkable<T> unfold(T value, Function<? super T, ? extends Stream<? extends T>> shrinker) {
        return of(value, () -> shrinker.apply(value).map(v -> Shrinkable.<T>unfold(v, shrinker)));
    }

    /** The value of this node (computed once, on first call). */
    public T value() {
        return value.get();
    }

    /** The simpler alternatives of this value, the ones most worth trying first first. */
    public Stream<Shrinkable<T>> children() {
        return children.get();
    }

    /** The same tree with {@code f} applied to every value. */
    public <R> Shrinkable<R> map(Function<? super T, ? extends R> f) {
        return new Shrinkable<R>(() -> f.apply(value()), () -> children().map(c -> c.map(f)));
    }

    /**
     * The same tree with only values that pass {@code keep} (this root is kept as is). A child that
     * fails is replaced by its own children that pass, one level deep, so that shrinking "even
     * numbers" can still step past an odd candidate, at a bounded cost.
     */
    public Shrinkable<T> filter(Predicate<? super T> keep) {
        return new Shrinkable<>(this::value, () -> children().flatMap(c -> keep.test(c.value())
                ? Stream.of(c.filter(keep))
                : c.children().filter(g -> keep.test(g.value())).map(g -> g.filter(keep))));
    }

    /**
     * The tree of a value that depends on this one: its children first shrink this value (and
     * rebuild the dependent tree with {@code f}), then shrink the dependent value itself.
     */
    public <R> Shrinkable<R> flatMap(Function<? super T, Shrinkable<R>> f) {
        Supplier<Shrinkable<R>> inner = memoize(() -> f.apply(value()));
        return new Shrinkable<>(() -> inner.get().value(),
                () -> Stream.concat(children().map(c -> c.flatMap(f)), inner.get().children()));
    }

    /** Independent parts shrunk one at a time, first part first; the value is the list of part values. */
    static <T> Shrinkable<List<T>> product(List<Shrinkable<T>> parts) {
        return new Shrinkable<>(() -> values(parts), () -> oneReplaced(parts).map(Shrinkable::product));
    }

    /**
     * A list whose length came from {@code size}: its children first drop blocks of elements
     * (to each shorter length the size tree offers), then shrink one element at a time.
     */
    static <T> Shrinkable<List<T>> list(Shrinkable<Integer> size, List<Shrinkable<T>> elements) {
        return new Shrinkable<>(() -> values(elements), () -> Stream.concat(
                size.children()
                        .filter(s -> s.value() >= 0 && s.value() < elements.size())
                        .flatMap(s -> blockRemovals(elements, elements.size() - s.value()).map(e -> list(s, e))),
                oneReplaced(elements).map(e -> list(size, e))));
    }

    /** Every way to drop {@code k} consecutive elements at positions 0, k, 2k, ... and at the tail. */
    private static <T> Stream<List<Shrinkable<T>>> blockRemovals(List<Shrinkable<T>> xs, int k) {
        int n = xs.size();
        IntStream starts = IntStream.iterate(0, p -> p + k <= n, p -> p + k);
        if (n % k != 0) {
            starts = IntStream.concat(starts, IntStream.of(n - k));
        }
        return starts.mapToObj(p -> {
            List<Shrinkable<T>> out = new ArrayList<>(xs.subList(0, p));
            out.addAll(xs.subList(p + k, n));
            return out;
        });
    }

    private static <T> Stream<List<Shrinkable<T>>> oneReplaced(List<Shrinkable<T>> parts) {
        return IntStream.range(0, parts.size()).boxed().flatMap(i -> parts.get(i).children().map(c -> {
            List<Shrinkable<T>> out = new ArrayList<>(parts);
            out.set(i, c);
            return out;
        }));
    }

    private static <T> List<T> values(List<Shrinkable<T>> parts) {
        List<T> out = new ArrayList<>(parts.size());
        for (Shrinkable<T> p : parts) {
            out.add(p.value());
        }
        return Collections.unmodifiableList(out);
    }

    static <T> Supplier<T> memoize(Supplier<T> source) {
        return new Supplier<>() {
            private boolean done;
            private T cached;

            @Override
            public T get() {
                if (!done) {
                    cached = source.get();
                    done = true;
                }
                return cached;
            }
        };
    }
}
