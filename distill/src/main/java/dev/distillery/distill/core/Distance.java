package dev.distillery.distill.core;

import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.autograd.Tensor;

/**
 * A per-sample distance {@code d(a_b, b_b)} between two batches of the same shape, the
 * {@code d(.,.)} of consistency models (Song et al. 2023, section 3: "l2, l1, LPIPS") and of the
 * regression terms of DMD, ADD and CTM. Implementations are differentiable in both arguments.
 */
@FunctionalInterface
public interface Distance {

    /** The distance of each sample: shape {@code [B]}. */
    Tensor perSample(Tensor a, Tensor b);

    /** {@code mean_b d(a_b, b_b)}, a scalar. */
    default Tensor mean(Tensor a, Tensor b) {
        return perSample(a, b).mean();
    }

    /** Squared Euclidean distance {@code ||a - b||_2^2} (the CM paper's "l2"). */
    static Distance l2() {
        return (a, b) -> PerSample.squaredNorm(a.sub(b));
    }

    /** {@code ||a - b||_1}. */
    static Distance l1() {
        return (a, b) -> PerSample.sum(a.sub(b).abs());
    }

    /**
     * Pseudo-Huber {@code sqrt(||a - b||_2^2 + c^2) - c} (Song &amp; Dhariwal 2023, improved CT,
     * section 3.3): quadratic below c, linear above; smooth everywhere.
     */
    static Distance pseudoHuber(double c) {
        DdimStep.requirePositive("c", c);
        return (a, b) -> PerSample.squaredNorm(a.sub(b)).add(c * c).sqrt().sub(c);
    }

    /**
     * Pseudo-Huber with improved CT's constant {@code c = 0.00054 sqrt(d)} for samples of d
     * elements (the paper's c = 0.03 for CIFAR-10, d = 32x32x3 = 3072).
     */
    static Distance pseudoHuberFor(int dataSize) {
        if (dataSize < 1) {
            throw new IllegalArgumentException("dataSize = " + dataSize + " must be >= 1");
        }
        return pseudoHuber(0.00054 * Math.sqrt(dataSize));
    }
}
