/**
 * What {@code distillery bench} does: the W1-W4 workloads of the bench module on the SIMD backend
 * ({@link dev.distillery.cli.bench.Bench}), beside the repository's PyTorch programs of the same
 * workloads run as child processes in chosen BLAS environments, and the table or JSON that
 * compares them ({@code BenchTable}). Reads the bench module; knows nothing of runs or datasets.
 */
package dev.distillery.cli.bench;
