/**
 * Distillery's property-testing harness: generators with shrinking, and a runner that checks a
 * property on many seeded random values and reports a minimal, replayable counterexample.
 *
 * <p>Why our own: since 1.10 jqwik carries an "Anti-AI Usage Clause", and we respect its
 * maintainers' wish. This package depends on JUnit 5's API and the JDK only, and every module's
 * tests may import it.
 *
 * <ul>
 *   <li>{@link dev.distillery.proptest.Gen}: a generator and its combinators (map, filter,
 *       flatMap, zip, oneOf, constant, listOf).</li>
 *   <li>{@link dev.distillery.proptest.Gens}: numbers, double arrays, tensor shapes, and
 *       broadcast-compatible shape pairs.</li>
 *   <li>{@link dev.distillery.proptest.Shrinkable}: a value with its lazy tree of simpler values,
 *       which is what lets shrinking pass through map and flatMap.</li>
 *   <li>{@link dev.distillery.proptest.Property}: the runner; a failure is a
 *       {@link dev.distillery.proptest.PropertyFailure}.</li>
 * </ul>
 *
 * <p>Reproducibility: each property's seed is derived from its name, so every run draws the
 * same values; {@code -Ddistillery.prop.seed=<seed>} replays a reported failure, and
 * {@code -Ddistillery.prop.tries=<n>} changes the number of tries of every property (deep runs).
 * Policy: a counterexample found once is added to its property with
 * {@link dev.distillery.proptest.Property#example}.
 */
package dev.distillery.proptest;
