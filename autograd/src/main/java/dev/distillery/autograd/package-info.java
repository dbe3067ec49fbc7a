/**
 * The autodiff engine: {@link dev.distillery.autograd.Tensor} (a contiguous row-major array on
 * one backend, plus the node that produced it when it requires grad), the primitives with their
 * backward rules written in the same differentiable ops ({@code ElementwiseOps},
 * {@code ReductionOps}, {@code ShapeOps}, {@code LinalgOps}, {@code NormOps}), reverse-mode
 * differentiation to any order ({@link dev.distillery.autograd.Autograd}), finite-difference checks
 * ({@link dev.distillery.autograd.GradCheck}) and the choice of backend
 * ({@link dev.distillery.autograd.Backends}). Depends on the JDK alone, so it embeds anywhere;
 * imports only its own subpackages (docs/ARCHITECTURE.md, "Import rules").
 */
package dev.distillery.autograd;
