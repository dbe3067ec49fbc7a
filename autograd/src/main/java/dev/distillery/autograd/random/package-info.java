/**
 * Counter-based random numbers: Philox-4x32-10 ({@link dev.distillery.autograd.random.Philox}),
 * the position-to-number mapping every backend shares
 * ({@link dev.distillery.autograd.random.PhiloxStream}), JAX-style splittable keys
 * ({@link dev.distillery.autograd.random.RngKey}) and a small stateful generator for host code
 * ({@link dev.distillery.autograd.random.Rng}).
 *
 * <p>Every number is a pure function of a 64-bit key and a 64-bit position, so results do not
 * depend on thread count, partitioning or device. Imports: the JDK and
 * {@code dev.distillery.autograd.backend.RandomKind} only.
 */
package dev.distillery.autograd.random;
