package dev.distillery.distill.identities;

/**
 * One identity of MATH.md as an error measure (same methods as the diffusion layer's
 * {@code Identity}, which this will extend once it lands).
 */
public interface DistillIdentity {
    /** "I14", ... */
    String id();

    /** A short human name. */
    String name();

    /** The equation, in MATH.md's notation. */
    String equation();

    /** The largest acceptable {@link #worstError}, derived from float64 error analysis. */
    double tolerance();

    /** The worst (normalized) error over inputs generated from {@code seed}. */
    double worstError(long seed);
}
