/**
 * The CUDA backend: {@link dev.distillery.gpu.CudaBackend} implements every kernel of the
 * autograd {@code Backend} SPI on an NVIDIA GPU through the jcuda driver API, with kernels written
 * in CUDA C ({@code src/main/cuda}) and shipped as PTX. {@link dev.distillery.gpu.CudaBackendProvider}
 * registers it with ServiceLoader as "cuda"; it is optional at run time and reports a one-line
 * reason where no driver or device exists. Device memory is managed by
 * {@link dev.distillery.gpu.DevicePool}. This package may depend on autograd and jcuda only.
 */
package dev.distillery.gpu;
