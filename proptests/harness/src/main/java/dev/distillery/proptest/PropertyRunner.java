package dev.distillery.proptest;

import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.opentest4j.TestAbortedException;

/**
 * Runs one property: fixed examples, then random tries, then greedy shrinking of the first
 * failure. Shrinking walks the shrink tree depth first: it moves to the first child that still
 * fails with the same kind of error (so it does not slip to a different bug), and stops when no
 * child fails or the attempt budget is spent.
 */
final class PropertyRunner<T> {
    private final Gen<T> gen;
    private final PropertyConfig config;
    private final List<T> examples;
    private final Property.Check<? super T> check;
    private final boolean printStatistics;

    PropertyRunner(Gen<T> gen, PropertyConfig config, List<T> examples, Property.Check<? super T> check) {
        this(gen, config, examples, check, false);
    }

    PropertyRunner(Gen<T> gen, PropertyConfig config, List<T> examples, Property.Check<? super T> check,
                   boolean printStatistics) {
        this.gen = gen;
        this.config = config;
        this.examples = examples;
        this.check = check;
        this.printStatistics = printStatistics;
    }

    /** What one evaluation of the check gave: a failure, or null; {@code discarded} for an assumption not met. */
    private record Verdict(Throwable failure, boolean discarded) {
        static final Verdict PASSED = new Verdict(null, false);
        static final Verdict DISCARDED = new Verdict(null, true);
    }

    void run() {
        Statistics.Collector stats = new Statistics.Collector();
        Statistics.Report report = null;
        try {
            run(stats);
        } finally {
            report = stats.close(config.name());
            // Printed on failure too: the counts say what the run had covered before it failed.
            if (printStatistics || Statistics.printRequested()) {
                System.out.println(report);
            }
        }
    }

    private void run(Statistics.Collector stats) {
        long seed = config.effectiveSeed();
        int tries = config.effectiveTries();
        for (T example : examples) {
            Verdict v = evaluate(example);
            if (v.failure() != null) {
                throw new PropertyFailure(config, seed, 0, tries, example, v.failure(), example, v.failure(),
                        0, 0, true);
            }
        }
        // Edge cases before random values, and on top of the tries: they are the inputs a uniform
        // draw almost never hits. A failing one shrinks like a drawn value.
        List<Shrinkable<T>> edges = edgeCases(seed);
        for (int e = 0; e < edges.size(); e++) {
            Shrinkable<T> edge = edges.get(e);
            Verdict v = counted(stats, edge.value());
            if (v.failure() != null) {
                throw shrink(edge, v.failure(), seed, -(e + 1), tries);
            }
        }
        SplittableRandom master = new SplittableRandom(seed);
        int discarded = 0;
        for (int t = 1; t <= tries; t++) {
            Shrinkable<T> drawn = draw(master.split(), t, seed);
            Verdict v = counted(stats, drawn.value());
            if (v.discarded()) {
                discarded++;
            } else if (v.failure() != null) {
                throw shrink(drawn, v.failure(), seed, t, tries);
            }
        }
        if (tries > 0 && discarded == tries) {
            throw new AssertionError("Property '" + config.name() + "': all " + tries
                    + " tries were discarded by assumptions (seed " + seed + "), so nothing was checked;"
                    + " generate values that meet the assumptions instead.");
        }
    }

    /** Evaluates one try with statistics collection open; a discarded try is not counted. */
    private Verdict counted(Statistics.Collector stats, T value) {
        stats.beginTry();
        Verdict v = evaluate(value);
        stats.endTry(!v.discarded());
        return v;
    }

    private List<Shrinkable<T>> edgeCases(long seed) {
        try {
            return gen.edgeCases();
        } catch (RuntimeException e) {
            throw new IllegalStateException("Property '" + config.name() + "': the generator failed to list its"
                    + " edge cases (seed " + seed + "): " + e.getMessage(), e);
        }
    }

    private Shrinkable<T> draw(SplittableRandom random, int tryNumber, long seed) {
        try {
            return gen.generate(random);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Property '" + config.name() + "': the generator failed at try "
                    + tryNumber + " (seed " + seed + "): " + e.getMessage(), e);
        }
    }

    private PropertyFailure shrink(Shrinkable<T> root, Throwable rootFailure, long seed, int tryNumber, int tries) {
        Shrinkable<T> current = root;
        Throwable currentFailure = rootFailure;
        int steps = 0;
        int attempts = 0;
        boolean moved = true;
        while (moved && attempts < config.shrinkLimit()) {
            moved = false;
            Iterator<Shrinkable<T>> children = current.children().iterator();
            while (children.hasNext() && attempts < config.shrinkLimit()) {
                Shrinkable<T> child = children.next();
                attempts++;
                Throwable f = evaluate(child.value()).failure();
                if (f != null && f.getClass() == rootFailure.getClass()) {
                    current = child;
                    currentFailure = f;
                    steps++;
                    moved = true;
                    break;
                }
            }
        }
        return new PropertyFailure(config, seed, tryNumber, tries, root.value(), rootFailure,
                current.value(), currentFailure, steps, attempts, false);
    }

    private Verdict evaluate(T value) {
        try {
            check.verify(value);
            return Verdict.PASSED;
        } catch (TestAbortedException e) {
            return Verdict.DISCARDED;
        } catch (AssertionError | Exception e) {
            return new Verdict(e, false);
        }
    }
}
