package dev.distillery.proptest.jupiter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Makes a test method a property: JUnit runs it once, and {@link PropertyExtension} calls the
 * method body for the edge cases and {@link #tries} random values of its parameters, shrinking a
 * failure and reporting it with the seed that replays it.
 *
 * <pre>{@code
 * class ClampProperties {
 *     @Property(tries = 500)
 *     void clampStaysInRange(@ForAll double x, @From("unitIntervals") double[] range) { ... }
 *
 *     static Gen<double[]> unitIntervals() { ... }
 * }
 * }</pre>
 *
 * <p>Every parameter must be {@link ForAll} or {@link From}. The method is called with the
 * parameters of each try; {@code @BeforeEach} runs once around the whole property, not per try,
 * so a property must not depend on state a previous try left behind. It is the annotation twin
 * of {@link dev.distillery.proptest.Property}: the same runner, seeds and system properties.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Test
@ExtendWith(PropertyExtension.class)
public @interface Property {
    /** Random tries (on top of edge cases); {@code -Ddistillery.prop.tries} overrides it. */
    int tries() default dev.distillery.proptest.PropertyConfig.DEFAULT_TRIES;

    /**
     * The seed, decimal or {@code 0x} hex; empty means derived from {@code Class.method}, so the
     * run is the same everywhere. {@code -Ddistillery.prop.seed} overrides it for a replay.
     */
    String seed() default "";

    /** Most evaluations spent shrinking a failure; 0 turns shrinking off. */
    int shrinkLimit() default dev.distillery.proptest.PropertyConfig.DEFAULT_SHRINK_LIMIT;

    /** Print the counts of {@link dev.distillery.proptest.Statistics#collect} after the run. */
    boolean statistics() default false;
}
