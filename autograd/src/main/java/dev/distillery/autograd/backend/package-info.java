/**
 * The kernel SPI every backend implements: {@link dev.distillery.autograd.backend.Backend} with
 * about twenty kernels that take precomputed plans ({@code ElementwisePlan}, {@code ReducePlan},
 * {@code StridedView}, {@code MatmulPlan}, {@code ConvGeometry}, {@code GroupNormPlan},
 * {@code AdamPlan}), so that a backend never re-derives indexing, and its
 * {@link dev.distillery.autograd.backend.BackendProvider} for discovery. Default methods compose
 * the fused kernels (convolution, group norm, Adam) from the others, so a new backend needs only
 * the basic ones.
 */
package dev.distillery.autograd.backend;
