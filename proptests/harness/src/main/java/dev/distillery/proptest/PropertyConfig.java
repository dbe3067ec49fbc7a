package dev.distillery.proptest;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * How one property runs: its name, how to select its test for a replay, the seed, the number of
 * tries, and how many shrink attempts a failure may spend.
 *
 * <p>Why the seed defaults to a hash of the name: CI then draws the same values on every run,
 * and a failure there fails the same way on a laptop. Two system properties act on every
 * property of a run: {@value #SEED_PROPERTY} replays a seed, {@value #TRIES_PROPERTY} sets the
 * number of tries (for deep runs, or quick ones).
 *
 * @param name shown in reports; the default seed is derived from it
 * @param testSelector {@code Class#method} of the test, for the replay hint ({@code -Dtest=...})
 * @param seed the seed given in code, if any
 * @param tries random values to try (fixed examples come on top)
 * @param shrinkLimit most property evaluations spent shrinking one failure; 0 turns shrinking off
 */
public record PropertyConfig(String name, String testSelector, OptionalLong seed, int tries, int shrinkLimit) {
    /** Tries when neither the code nor {@value #TRIES_PROPERTY} says otherwise. */
    public static final int DEFAULT_TRIES = 100;
    /** Shrink attempts when the code does not say otherwise. */
    public static final int DEFAULT_SHRINK_LIMIT = 1000;
    /** System property that replaces every property's seed: {@code -Ddistillery.prop.seed=123}. */
    public static final String SEED_PROPERTY = "distillery.prop.seed";
    /** System property that replaces every property's number of tries. */
    public static final String TRIES_PROPERTY = "distillery.prop.tries";

    /** Checks the numbers. */
    public PropertyConfig {
        if (tries < 0 || shrinkLimit < 0) {
            throw new IllegalArgumentException("tries and shrinkLimit must be >= 0");
        }
    }

    /** The defaults for a property of this name. */
    public static PropertyConfig defaults(String name, String testSelector) {
        return new PropertyConfig(name, testSelector, OptionalLong.empty(), DEFAULT_TRIES, DEFAULT_SHRINK_LIMIT);
    }

    /** The seed used: {@value #SEED_PROPERTY} if set, else the one given in code, else one derived from the name. */
    public long effectiveSeed() {
        String replay = System.getProperty(SEED_PROPERTY);
        if (replay != null && !replay.isBlank()) {
            return parseLong(replay.trim(), SEED_PROPERTY);
        }
        return seed.orElseGet(() -> seedFromName(name));
    }

    /** The tries used: {@value #TRIES_PROPERTY} if set, else {@link #tries}. */
    public int effectiveTries() {
        String override = System.getProperty(TRIES_PROPERTY);
        if (override != null && !override.isBlank()) {
            long n = parseLong(override.trim(), TRIES_PROPERTY);
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(TRIES_PROPERTY + " out of range: " + n);
            }
            return (int) n;
        }
        return tries;
    }

    /** A stable seed for a name: 64-bit FNV-1a of its UTF-8 bytes, then mixed. */
    public static long seedFromName(String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return new SplittableRandom(h).nextLong();
    }

    private static long parseLong(String text, String property) {
        try {
            return text.startsWith("0x") || text.startsWith("0X")
                    ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " is not a number: " + text, e);
        }
    }

    PropertyConfig withName(String newName) {
        return new PropertyConfig(newName, testSelector, seed, tries, shrinkLimit);
    }

    PropertyConfig withSeed(long newSeed) {
        return new PropertyConfig(name, testSelector, OptionalLong.of(newSeed), tries, shrinkLimit);
    }

    PropertyConfig withTries(int newTries) {
        return new PropertyConfig(name, testSelector, seed, newTries, shrinkLimit);
    }

    PropertyConfig withShrinkLimit(int newLimit) {
        return new PropertyConfig(name, testSelector, seed, tries, newLimit);
    }
}
