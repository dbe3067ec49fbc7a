package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

/**
 * Upsampling of {@code [B, C, H, W]} as PyTorch's {@code nn.Upsample(scale_factor, mode,
 * align_corners)} (equivalently {@code F.interpolate}), with {@code H_out = floor(H s)}, likewise W.
 *
 * <p>{@link #Upsample(int)}: nearest neighbour by an integer factor,
 * {@code y[b, c, i, j] = x[b, c, i / s, j / s]} (each pixel a {@code s x s} block).
 *
 * <p>{@link #Upsample(double, Mode, boolean)} for any factor {@code s > 0}:
 * <ul>
 *   <li>{@code NEAREST}: {@code y[i] = x[min(floor(i (1/s)), H - 1)]} per axis, as PyTorch's
 *       {@code 'nearest'} with a given scale factor;</li>
 *   <li>{@code BILINEAR}: per axis, the source coordinate {@code u = (i + 1/2) (1/s) - 1/2} clamped
 *       below at 0 ({@code align_corners=False}), or {@code u = i (H - 1) / (H_out - 1)} (0 when {@code H_out = 1})
 *       ({@code align_corners=True}); with {@code i0 = floor(u)}, {@code i1 = min(i0 + 1, H - 1)},
 *       {@code l = u - i0}: {@code y[i] = (1 - l) x[i0] + l x[i1]}, first along H, then along W.</li>
 * </ul>
 * Built from {@code indexSelect} and elementwise ops, so gradients of every order come from
 * theirs. No parameters.
 */
public final class Upsample extends Module implements Layer {
    /** PyTorch's {@code mode} values supported here. */
    public enum Mode { NEAREST, BILINEAR }

    private final int scale;
    private final double factor;
    private final Mode mode;
    private final boolean alignCorners;

    /** Nearest-neighbour upsampling by the integer factor {@code scale}. */
    public Upsample(int scale) {
        this.scale = scale;
        this.factor = scale;
        this.mode = null;
        this.alignCorners = false;
    }

    /**
     * PyTorch's {@code nn.Upsample(scale_factor=factor, mode=mode, align_corners=alignCorners)}; for
     * {@code NEAREST} {@code alignCorners} must be false, as PyTorch requires.
     */
    public Upsample(double factor, Mode mode, boolean alignCorners) {
        if (!(factor > 0) || Double.isInfinite(factor) || mode == null || (mode == Mode.NEAREST && alignCorners)) {
            throw new IllegalArgumentException("Upsample(" + factor + ", " + mode + ", align_corners " + alignCorners
                    + "): the factor must be positive and finite, and align_corners only goes with BILINEAR");
        }
        this.scale = 0;
        this.factor = factor;
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " is not [B, C, H, W]");
        }
        if (mode == null) {
            return x.upsampleNearest2d(scale);
        }
        int outH = (int) Math.floor(x.dim(2) * factor);
        int outW = (int) Math.floor(x.dim(3) * factor);
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " gives an empty output");
        }
        return resize(resize(x, 2, outH), 3, outW);
    }

    /** Interpolation along {@code axis} (2 or 3) to {@code out} elements. */
    private Tensor resize(Tensor x, int axis, int out) {
        int in = x.dim(axis);
        double inverse = 1.0 / factor;   // PyTorch maps coordinates with the reciprocal of the given factor
        double corners = out > 1 ? (double) (in - 1) / (out - 1) : 0;
        int[] i0 = new int[out];
        int[] i1 = new int[out];
        double[] l = new double[out];
        for (int i = 0; i < out; i++) {
            if (mode == Mode.NEAREST) {
                i0[i] = Math.min((int) Math.floor(i * inverse), in - 1);
                continue;
            }
            double u = alignCorners ? corners * i : Math.max((i + 0.5) * inverse - 0.5, 0);
            i0[i] = Math.min((int) Math.floor(u), in - 1);
            i1[i] = Math.min(i0[i] + 1, in - 1);
            l[i] = u - i0[i];
        }
        if (mode == Mode.NEAREST) {
            return x.indexSelect(axis, i0);
        }
        int[] dims = {1, 1, 1, 1};
        dims[axis] = out;
        Tensor w1 = Tensor.of(x.dtype(), l, dims).on(x.backend());
        return x.indexSelect(axis, i0).mul(w1.rsub(1.0)).add(x.indexSelect(axis, i1).mul(w1));
    }

    @Override
    protected Module rebuild() {
        return mode == null ? new Upsample(scale) : new Upsample(factor, mode, alignCorners);
    }

    @Override
    public String toString() {
        return mode == null ? "Upsample(x" + scale + ")"
                : "Upsample(x" + factor + ", " + mode.name().toLowerCase(java.util.Locale.ROOT)
                        + (alignCorners ? ", align_corners" : "") + ")";
    }
}
