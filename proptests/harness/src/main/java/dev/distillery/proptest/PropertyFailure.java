package dev.distillery.proptest;

/**
 * The error a failing property throws: says which property, which try, which seed and how to
 * replay it, and shows the counterexample as drawn and as shrunk. Its cause is the failure of
 * the shrunk counterexample; the failure of the original one is attached as suppressed when
 * it differs. Tests of the harness read the fields; people read the message.
 */
public final class PropertyFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final transient PropertyConfig config;
    private final long seed;
    private final int tryNumber;
    private final transient Object original;
    private final transient Object shrunk;
    private final int shrinkSteps;

    PropertyFailure(PropertyConfig config, long seed, int tryNumber, int tries, Object original, Throwable originalFailure,
                    Object shrunk, Throwable shrunkFailure, int shrinkSteps, int shrinkAttempts, boolean fromExample) {
        super(message(config, seed, tryNumber, tries, original, originalFailure, shrunk, shrunkFailure,
                shrinkSteps, shrinkAttempts, fromExample), shrunkFailure);
        if (originalFailure != shrunkFailure) {
            addSuppressed(originalFailure);
        }
        this.config = config;
        this.seed = seed;
        this.tryNumber = tryNumber;
        this.original = original;
        this.shrunk = shrunk;
        this.shrinkSteps = shrinkSteps;
    }

    /** The configuration of the failed property. */
    public PropertyConfig config() {
        return config;
    }

    /** The seed of the run that failed; {@code -Ddistillery.prop.seed=<it>} replays it. */
    public long seed() {
        return seed;
    }

    /** The failing try, from 1; 0 when a fixed example failed; {@code -k} when the k-th edge case failed. */
    public int tryNumber() {
        return tryNumber;
    }

    /** The counterexample as first found. */
    public Object originalValue() {
        return original;
    }

    /** The simplest counterexample shrinking found (the original when nothing simpler fails). */
    public Object shrunkValue() {
        return shrunk;
    }

    /** How many times shrinking moved to a simpler failing value. */
    public int shrinkSteps() {
        return shrinkSteps;
    }

    private static String message(PropertyConfig config, long seed, int tryNumber, int tries, Object original,
                                  Throwable originalFailure, Object shrunk, Throwable shrunkFailure,
                                  int steps, int attempts, boolean fromExample) {
        StringBuilder m = new StringBuilder();
        if (fromExample) {
            m.append("Property '").append(config.name()).append("' failed on fixed example ")
                    .append(Show.bounded(original)).append('\n')
                    .append("  failure: ").append(firstLine(originalFailure));
            return m.toString();
        }
        m.append("Property '").append(config.name()).append("' failed at ")
                .append(tryNumber < 0 ? "edge case " + -tryNumber + " (before the " + tries + " random tries)"
                        : "try " + tryNumber + " of " + tries)
                .append(" (seed ").append(seed).append(")\n")
                .append("  original counterexample: ").append(Show.bounded(original)).append('\n')
                .append("  original failure:        ").append(firstLine(originalFailure)).append('\n')
                .append("  shrunk counterexample:   ").append(Show.bounded(shrunk))
                .append("   (").append(steps).append(" shrink steps, ").append(attempts).append(" attempts")
                .append(attempts >= config.shrinkLimit() && config.shrinkLimit() > 0
                        ? "; stopped at the limit, may not be minimal" : "").append(")\n")
                .append("  shrunk failure:          ").append(firstLine(shrunkFailure)).append('\n')
                .append("  replay:  -D").append(PropertyConfig.SEED_PROPERTY).append('=').append(seed)
                .append("   e.g. ./mvnw -B test -Dtest='").append(config.testSelector())
                .append("' -Dsurefire.failIfNoSpecifiedTests=false -D")
                .append(PropertyConfig.SEED_PROPERTY).append('=').append(seed).append('\n')
                .append("  keep it: add .example(<the shrunk counterexample>) to the property (for a @Property method: a @Test calling it with these arguments)");
        return m.toString();
    }

    private static String firstLine(Throwable t) {
        String text = t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline) + " ...";
    }
}
