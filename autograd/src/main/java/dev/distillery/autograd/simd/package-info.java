/**
 * The SIMD CPU backend: {@link dev.distillery.autograd.simd.SimdBackend} runs the kernels of
 * {@code SimdKernelsF64} (written by hand) and {@code SimdKernelsF32} (generated from it by the
 * test-source tool {@code GenerateF32Kernels}; never edit it) with {@code jdk.incubator.vector}
 * on the caller and a team of daemon helper threads ({@code TaskTeam}). Imports: the JDK (including the incubating Vector API,
 * enabled with {@code --add-modules=jdk.incubator.vector}) and {@code dev.distillery.autograd}'s
 * backend SPI, CPU storage and Philox stream only.
 *
 * <p>Determinism: fixed task boundaries and fixed accumulation order, so results are
 * bit-identical for any thread count; only IEEE-exact vector operations, so also across JIT
 * tiers. Accuracy: see {@code SimdBackend} and the bounds in {@code SimdConformanceTest}.
 */
package dev.distillery.autograd.simd;
