package dev.distillery.diffusion.denoise;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import java.util.function.DoubleUnaryOperator;

/**
 * Per-batch-element coefficients ({@code alpha(t)}, {@code sigma(t)}, ...) as tensors that
 * broadcast against a batch {@code z} of shape {@code [B, d1, ..., dn]}: shape {@code [B, 1, ..., 1]}.
 * Coefficients are constants of the graph (time is not differentiated through).
 */
public final class PerSample {
    private PerSample() {}

    /**
     * {@code coef} reshaped to broadcast against {@code like}: a rank-0 tensor is returned as is;
     * a rank-1 tensor of length {@code B = like.dim(0)} becomes {@code [B, 1, ..., 1]}; a tensor of
     * {@code like}'s rank is returned as is.
     */
    public static Tensor broadcastable(Tensor coef, Tensor like) {
        if (coef.rank() == 0 || coef.rank() == like.rank()) {
            return coef;
        }
        if (coef.rank() == 1 && like.rank() >= 1 && coef.dim(0) == like.dim(0)) {
            int[] dims = new int[like.rank()];
            java.util.Arrays.fill(dims, 1);
            dims[0] = coef.dim(0);
            return coef.reshape(dims);
        }
        throw new IllegalArgumentException("coefficient of shape " + coef.shape()
                + " does not broadcast per sample against " + like.shape()
                + "; pass a scalar, a [B] tensor with B = " + (like.rank() > 0 ? like.dim(0) : 1)
                + ", or a tensor of rank " + like.rank());
    }

    /** {@code values} as a {@code [B, 1, ..., 1]} tensor of {@code like}'s dtype. */
    public static Tensor of(double[] values, Tensor like) {
        return broadcastable(Tensor.of(like.dtype(), values, values.length), like);
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
}
