/**
 * Identities I14-I19 of MATH.md section 6, one class each, as
 * {@link dev.distillery.diffusion.identities.Identity identities} over explicit input types: each
 * builds its input (a record of schedule, times, shape and data values) from the diffusion layer's
 * {@link dev.distillery.diffusion.identities.Choices}, and returns its (normalized) error and its
 * tolerance at that input. Every tolerance is derived in the class Javadoc from a float64
 * rounding-error count, in units of {@code EPS = 2^-52} (the unit roundoff is {@code u = EPS/2});
 * where every operation is exact the tolerance is 0. {@link dev.distillery.distill.identities.DistillIdentities#all()}
 * lists them for the catalogue ({@code proptests/identities}) and the audit command. The measures
 * run on the current backend (tests use the scalar oracle).
 */
package dev.distillery.distill.identities;
