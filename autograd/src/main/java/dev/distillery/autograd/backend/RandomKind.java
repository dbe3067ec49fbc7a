package dev.distillery.autograd.backend;

/** Distributions a backend can draw from the Philox stream. */
public enum RandomKind {
    /** Uniform on the open interval (0, 1). */
    UNIFORM,
    /** Standard normal by Box-Muller. */
    NORMAL
}
