/**
 * JMH micro-benchmarks of single kernels on the SIMD backend (GEMM, elementwise, reductions),
 * packaged with their dependencies as {@code bench/jmh/target/benchmarks.jar}. A module of its own
 * so that JMH never reaches the command line's runtime class path.
 */
package dev.distillery.bench.jmh;
