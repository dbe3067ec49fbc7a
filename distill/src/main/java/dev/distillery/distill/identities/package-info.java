/**
 * Identities I14-I19 of MATH.md section 6, one class each, as error measures over seeded random
 * F64 inputs: {@code worstError(seed)} draws schedules, times, shapes and tensors from the seed and
 * returns the largest (normalized) error, which must not exceed {@code tolerance()}. Every
 * tolerance is derived in the class Javadoc from a float64 rounding-error count, in units of
 * {@code EPS = 2^-52} (the unit roundoff is {@code u = EPS/2}); where every operation is exact the
 * tolerance is 0.
 *
 * <p>The methods mirror {@code dev.distillery.diffusion.identities.Identity} exactly
 * ({@link dev.distillery.distill.identities.DistillIdentity}); once that interface lands,
 * {@code DistillIdentity} extends it and the audit catalog lists {@link dev.distillery.distill.identities.DistillIdentities#all()}.
 * The measures run on the current backend (tests use the scalar oracle).
 */
package dev.distillery.distill.identities;
