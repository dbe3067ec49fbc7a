/**
 * The W2-W4 harnesses (an MLP and a U-Net training step, DDIM and DDPM sampling) and the timing
 * they share ({@code Measure}: medians, the CPU other processes used meanwhile, waits for a quiet
 * machine), each timing exactly what its PyTorch program in {@code bench/torch/} times
 * (docs/BENCHMARKS.md, "Workloads").
 */
package dev.distillery.bench.workloads;
