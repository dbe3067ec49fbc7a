package dev.distillery.proptest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A property: a check that must hold for every value a generator draws. {@link #check} tries it
 * on the fixed examples, then on the generator's edge cases ({@link Gen#edgeCases}), then on
 * {@link PropertyConfig#DEFAULT_TRIES} random values; on the first
 * failure it shrinks the value and throws a {@link PropertyFailure} that says how to replay it.
 *
 * <pre>{@code
 * Property.forAll(Gens.broadcastPair(4, 5))
 *         .tries(200)
 *         .example(new BroadcastPair(new int[] {3, 1}, new int[] {1}))
 *         .check(p -> assertArrayEquals(p.result(), add(zeros(p.left()), zeros(p.right())).shape()));
 * }</pre>
 *
 * <p>A try fails when the check throws an {@link AssertionError} or any exception, and is
 * discarded when it throws JUnit's {@code TestAbortedException} (for example through
 * {@code Assumptions.assumeTrue}). The name (and so the default seed) is the calling test's
 * {@code Class.method} unless {@link #named} says otherwise. Instances are immutable.
 *
 * @param <T> the type of the values checked
 */
public final class Property<T> {

    /** A check on one value: returns normally when the property holds, throws when it does not. */
    @FunctionalInterface
    public interface Check<T> {
        /** Throws (an {@link AssertionError}, say) when the property does not hold for {@code value}. */
        void verify(T value) throws Exception;
    }

    private final Gen<T> gen;
    private final PropertyConfig config;
    private final List<T> examples;
    private final boolean statistics;

    private Property(Gen<T> gen, PropertyConfig config, List<T> examples) {
        this(gen, config, examples, false);
    }

    private Property(Gen<T> gen, PropertyConfig config, List<T> examples, boolean statistics) {
        this.gen = gen;
        this.config = config;
        this.examples = examples;
        this.statistics = statistics;
    }

    /**
     * A property over the values of {@code gen} run as {@code config} says: for tools that name
     * the property themselves, such as the JUnit extension ({@code @Property}), where the calling
     * frame is not the test.
     */
    public static <T> Property<T> forAll(Gen<T> gen, PropertyConfig config) {
        return new Property<>(Objects.requireNonNull(gen, "gen"), Objects.requireNonNull(config, "config"), List.of());
    }

    /**
     * The same property, printing the counts of {@link Statistics#collect} to standard output
     * after the run when {@code print} is true (also when it fails).
     */
    public Property<T> statistics(boolean print) {
        return new Property<>(gen, config, examples, print);
    }

    /** A property over the values of {@code gen}, named after the calling test method. */
    public static <T> Property<T> forAll(Gen<T> gen) {
        StackWalker.StackFrame caller = StackWalker.getInstance()
                .walk(frames -> frames.filter(f -> !isHarnessFrame(f.getClassName())).findFirst())
                .orElseThrow();
        String className = caller.getClassName();
        String simpleName = className.substring(className.lastIndexOf('.') + 1);
        String method = enclosingMethod(caller.getMethodName());
        return new Property<>(Objects.requireNonNull(gen, "gen"),
                PropertyConfig.defaults(simpleName + "." + method, className + "#" + method),
                List.of());
    }

    /** The method a lambda body was written in: javac names it {@code lambda$<method>$<n>}. */
    private static String enclosingMethod(String method) {
        if (method.startsWith("lambda$")) {
            int end = method.lastIndexOf('$');
            if (end > "lambda$".length()) {
                return method.substring("lambda$".length(), end);
            }
        }
        return method;
    }

    private static boolean isHarnessFrame(String className) {
        String self = Property.class.getName();
        return className.equals(self) || className.startsWith(self + "$");
    }

    /** The same property under another name, which also gives it another default seed. */
    public Property<T> named(String name) {
        return new Property<>(gen, config.withName(Objects.requireNonNull(name, "name")), examples, statistics);
    }

    /** The same property with {@code n} random tries (unless {@value PropertyConfig#TRIES_PROPERTY} is set). */
    public Property<T> tries(int n) {
        return new Property<>(gen, config.withTries(n), examples, statistics);
    }

    /** The same property drawing from {@code seed} (unless {@value PropertyConfig#SEED_PROPERTY} is set). */
    public Property<T> seed(long seed) {
        return new Property<>(gen, config.withSeed(seed), examples, statistics);
    }

    /** The same property spending at most {@code attempts} evaluations on shrinking; 0 turns it off. */
    public Property<T> shrinkLimit(int attempts) {
        return new Property<>(gen, config.withShrinkLimit(attempts), examples, statistics);
    }

    /**
     * The same property that first checks {@code value}, before any random try. Our policy: a
     * counterexample found once becomes a fixed example. Fixed examples are not shrunk.
     */
    public Property<T> example(T value) {
        List<T> more = new ArrayList<>(examples);
        more.add(value);
        return new Property<>(gen, config, more, statistics);
    }

    /** How this property runs. */
    public PropertyConfig config() {
        return config;
    }

    /** Runs the property; throws {@link PropertyFailure} if {@code check} throws for some value. */
    public void check(Check<? super T> check) {
        new PropertyRunner<T>(gen, config, examples, check, statistics).run();
    }

    /** Runs the property; throws {@link PropertyFailure} if {@code holds} returns false (or throws) for some value. */
    public void checkThat(Predicate<? super T> holds) {
        check(value -> {
            if (!holds.test(value)) {
                throw new AssertionError("predicate returned false");
            }
        });
    }
}
