/**
 * The W1 GEMM harness ({@link dev.distillery.bench.Gemm}) that {@code distillery bench} runs
 * beside {@code bench/torch/w1_gemm.py}, and {@link dev.distillery.bench.Paired}, which times two
 * builds against each other in one JVM; the other workloads are in
 * {@code dev.distillery.bench.workloads}. Definitions: docs/BENCHMARKS.md, "Workloads".
 */
package dev.distillery.bench;
