package dev.distillery.autograd.backend;

/** Reductions over a set of axes. */
public enum ReduceKernel {
    /** Sum; backends accumulate F32 data in at least F32 with a fixed order. */
    SUM,
    /** Maximum; NaN propagates. */
    MAX
}
