package dev.distillery.diffusion.denoise;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import java.util.function.DoubleUnaryOperator;

/**
 * Per-batch-element coefficients ({@code alpha(t)}, {@code sigma(t)}, ...) as tensors that
 * broadcast against a batch {@code z} of shape {@code [B, d1, ..., dn]}: shape {@code [B, 1, ..., 1]},
 * and per-sample reductions over the data dimensions: the shape chores every formula of the
 * samplers and the distillation methods needs, written once. Coefficients are constants of the
 * graph (time is not differentiated through).
 */
public final class PerSample {
    private PerSample() {}

    /**
     * {@code coef} shaped to multiply {@code like} sample by sample: a rank-0 tensor is returned as
     * is; a rank-1 tensor of length {@code B = like.dim(0)} becomes {@code [B, 1, ..., 1]} with
     * {@code like.rank()} dimensions; a tensor of {@code like}'s rank 2 or more (e.g. one already
     * shaped by this method) is returned as is, as is a {@code [1]} or {@code [B]} one against a
     * rank-1 batch.
     *
     * @throws IllegalArgumentException for any other shape; the message ends with the {@code [B]}
     *     shape that would fit ({@code [?]} when like has no batch dimension)
     */
    public static Tensor broadcast(Tensor coef, Tensor like) {
        if (coef.rank() == 0 || (coef.rank() == like.rank()
                && (coef.rank() >= 2 || coef.dim(0) == 1 || coef.dim(0) == like.dim(0)))) {
            return coef;
        }
        if (coef.rank() == 1 && like.rank() >= 1 && coef.dim(0) == like.dim(0)) {
            int[] dims = new int[like.rank()];
            java.util.Arrays.fill(dims, 1);
            dims[0] = coef.dim(0);
            return coef.reshape(dims);
        }
        throw new IllegalArgumentException("per-sample coefficient of shape " + coef.shape()
                + " does not match a batch of shape " + like.shape() + "; pass a rank-0 tensor, a tensor of rank "
                + like.rank() + ", or one of shape [" + (like.rank() < 1 ? "?" : like.dim(0)) + "]");
    }

    /** {@code values} as a {@code [B]} tensor of {@code dtype}. */
    public static Tensor vector(double[] values, DType dtype) {
        return Tensor.of(dtype, values, values.length);
    }

    /**
     * A rank-0 or {@code [1]} tensor broadcast to {@code [batch]} (its value repeated); a
     * {@code [batch]} tensor as is; null stays null.
     */
    public static Tensor expand(Tensor v, int batch) {
        if (v == null) {
            return null;
        }
        if (v.rank() == 0 || (v.rank() == 1 && v.dim(0) == 1 && batch != 1)) {
            return Tensor.full(v.dtype(), v.reshape(1).item(), batch);
        }
        return v;
    }

    /** {@code values} as a {@code [B, 1, ..., 1]} tensor of {@code like}'s dtype. */
    public static Tensor of(double[] values, Tensor like) {
        return broadcast(Tensor.of(like.dtype(), values, values.length), like);
    }

    /** {@code c_b * x_b}: x scaled sample by sample. */
    public static Tensor scale(Tensor x, double[] c) {
        return x.mul(of(c, x));
    }

    /** {@code f(t_b)} for each element of the time tensor {@code t} ({@code [B]} or scalar), as doubles. */
    public static double[] map(Tensor t, DoubleUnaryOperator f) {
        double[] ts = t.toDoubleArray();
        double[] out = new double[ts.length];
        for (int i = 0; i < ts.length; i++) {
            out[i] = f.applyAsDouble(ts[i]);
        }
        return out;
    }

    /** Signal coefficient {@code alpha(t_b)} per sample, broadcastable against {@code z}. */
    public static Tensor alpha(NoiseSchedule s, Tensor t, Tensor z) {
        return of(map(t, s::alpha), z);
    }

    /** Noise coefficient {@code sigma(t_b)} per sample, broadcastable against {@code z}. */
    public static Tensor sigma(NoiseSchedule s, Tensor t, Tensor z) {
        return of(map(t, s::sigma), z);
    }

    /** A time tensor {@code [B]} filled with {@code t}: what samplers pass to a {@link Denoiser}. */
    public static Tensor time(double t, int batch, DType dtype) {
        try (var ignored = Autograd.noGrad()) {
            return Tensor.full(dtype, t, batch);
        }
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
