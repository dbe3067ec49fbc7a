/**
 * The CPU backends' common ground and the oracle: heap storage and its recycling pool
 * ({@code HostStorage}, {@code StoragePool}), the data-movement kernels in plain loops
 * ({@code HostBackend}), and {@link dev.distillery.autograd.cpu.ScalarBackend}, which computes each
 * element in double and rounds once: the specification the SIMD and CUDA backends are tested
 * against.
 */
package dev.distillery.autograd.cpu;
