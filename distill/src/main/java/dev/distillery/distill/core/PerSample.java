package dev.distillery.distill.core;

import dev.distillery.autograd.Tensor;

import java.util.Arrays;

/**
 * Broadcasting of per-sample coefficients over data dimensions, and per-sample reductions: the two
 * shape chores every formula in this package needs, written once.
 */
public final class PerSample {
    private PerSample() {
    }

    /**
     * {@code coef} shaped to multiply {@code like} sample by sample: a rank-0 coefficient is
     * returned as is; a {@code [B]} coefficient becomes {@code [B, 1, ..., 1]} with
     * {@code like.rank()} dimensions.
     *
     * @throws IllegalArgumentException if coef is neither rank 0 nor {@code [like.dim(0)]}
     */
    public static Tensor broadcast(Tensor coef, Tensor like) {
        if (coef.rank() == 0) {
            return coef;
        }
        if (coef.rank() != 1 || like.rank() < 1 || coef.dim(0) != like.dim(0)) {
            throw new IllegalArgumentException("per-sample coefficient of shape " + coef.shape()
                    + " does not match a batch of shape " + like.shape() + "; pass a rank-0 tensor or one of shape ["
                    + (like.rank() < 1 ? "?" : like.dim(0)) + "]");
        }
        int[] dims = new int[like.rank()];
        Arrays.fill(dims, 1);
        dims[0] = like.dim(0);
        return coef.reshape(dims);
    }

    /** {@code sum_{j} x[b, j]} over all non-batch dimensions: shape {@code [B]}. */
    public static Tensor sum(Tensor x) {
        return flat(x).sum(1, false);
    }

    /** {@code mean_{j} x[b, j]} over all non-batch dimensions: shape {@code [B]}. */
    public static Tensor mean(Tensor x) {
        return flat(x).mean(1, false);
    }

    /** Squared Euclidean norm of each sample, {@code ||x_b||^2}: shape {@code [B]}. */
    public static Tensor squaredNorm(Tensor x) {
        return sum(x.square());
    }

    /** {@code x} as {@code [B, d]} with d the number of elements per sample (rank 1 gives d = 1). */
    public static Tensor flat(Tensor x) {
        if (x.rank() < 1) {
            throw new IllegalArgumentException("expected a batch [B, ...], got a rank-0 tensor");
        }
        return x.reshape(x.dim(0), -1);
    }

    /** Elements per sample, {@code numel / B}. */
    public static int dataSize(Tensor x) {
        return x.numel() / x.dim(0);
    }
}
