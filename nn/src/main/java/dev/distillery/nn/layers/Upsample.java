package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

/**
 * Upsampling of {@code [B, C, H, W]} as PyTorch's {@code nn.Upsample(size or scale_factor, mode,
 * align_corners)} (equivalently {@code F.interpolate}): with a scale factor s,
 * {@code H_out = floor(H s)}, likewise W; with an explicit {@code size}, {@code (H_out, W_out)}.
 *
 * <p>{@link #Upsample(int)}: nearest neighbour by an integer factor,
 * {@code y[b, c, i, j] = x[b, c, i / s, j / s]} (each pixel a {@code s x s} block).
 *
 * <p>{@link #Upsample(double, Mode, boolean)} for any factor {@code s > 0}, and
 * {@link #Upsample(int[], Mode, boolean)} for an output size, per axis with {@code r} PyTorch's
 * source-per-output scale: {@code 1/s} for a factor, {@code H / H_out} for a size:
 * <ul>
 *   <li>{@code NEAREST}: PyTorch's {@code 'nearest'} index rule ({@code nearest_idx}): the
 *       identity when {@code H_out = H}, {@code i / 2} when {@code H_out = 2H}, and otherwise
 *       {@code min(floor(i * r), H - 1)} evaluated in single precision, with
 *       {@code r = (float) (1/s)} or {@code (float) H / H_out}, as PyTorch does (so, e.g., 74
 *       outputs from 6 map output 37 to input 2, not 3);</li>
 *   <li>{@code BILINEAR}: per axis, the source coordinate {@code u = (i + 1/2) r - 1/2} clamped
 *       below at 0 ({@code align_corners=False}), or {@code u = i (H - 1) / (H_out - 1)} (0 when {@code H_out = 1})
 *       ({@code align_corners=True}); with {@code i0 = floor(u)}, {@code i1 = min(i0 + 1, H - 1)},
 *       {@code l = u - i0}: {@code y[i] = (1 - l) x[i0] + l x[i1]}, first along H, then along W
 *       (PyTorch's double-precision coordinates, so F64 matches it to rounding; for F32 inputs
 *       PyTorch computes the coordinates in float).</li>
 * </ul>
 * Built from {@code indexSelect} and elementwise ops, so gradients of every order come from
 * theirs. No parameters.
 */
public final class Upsample extends Module implements Layer {
    /** PyTorch's {@code mode} values supported here. */
    public enum Mode { NEAREST, BILINEAR }

    private final int scale;
    private final double factor;
    private final int[] size;
    private final Mode mode;
    private final boolean alignCorners;

    /** Nearest-neighbour upsampling by the integer factor {@code scale}. */
    public Upsample(int scale) {
        this.scale = scale;
        this.factor = scale;
        this.size = null;
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
        this.size = null;
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    /**
     * PyTorch's {@code nn.Upsample(size=(size[0], size[1]), mode=mode, align_corners=alignCorners)}:
     * the output is {@code [B, C, size[0], size[1]]} whatever the input's size (larger or smaller);
     * for {@code NEAREST} {@code alignCorners} must be false, as PyTorch requires.
     */
    public Upsample(int[] size, Mode mode, boolean alignCorners) {
        if (size == null || size.length != 2 || size[0] < 1 || size[1] < 1 || mode == null
                || (mode == Mode.NEAREST && alignCorners)) {
            throw new IllegalArgumentException("Upsample(size " + java.util.Arrays.toString(size) + ", " + mode
                    + ", align_corners " + alignCorners + "): the size must be two positive numbers {H_out, W_out}, "
                    + "and align_corners only goes with BILINEAR");
        }
        this.scale = 0;
        this.factor = 0;
        this.size = size.clone();
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
        int outH = size != null ? size[0] : (int) Math.floor(x.dim(2) * factor);
        int outW = size != null ? size[1] : (int) Math.floor(x.dim(3) * factor);
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " gives an empty output "
                    + outH + "x" + outW + "; use a larger factor or an explicit size");
        }
        return resize(resize(x, 2, outH), 3, outW);
    }

    /**
     * PyTorch's {@code nearest_idx}: the input index output {@code i} of {@code out} copies from an
     * axis of {@code in}, for a scale factor {@code factor} (0: none, the size was given).
     */
    static int nearestIndex(int i, int in, int out, double factor) {
        if (out == in) {
            return i;
        }
        if (out == 2 * in) {
            return i >> 1;
        }
        float r = factor > 0 ? (float) (1.0 / factor) : (float) in / (float) out;
        return Math.min((int) Math.floor((float) i * r), in - 1);
    }

    /** Interpolation along {@code axis} (2 or 3) to {@code out} elements. */
    private Tensor resize(Tensor x, int axis, int out) {
        int in = x.dim(axis);
        // PyTorch maps coordinates with the reciprocal of the given factor, or in / out for a given size
        double inverse = size != null ? (double) in / out : 1.0 / factor;
        double corners = out > 1 ? (double) (in - 1) / (out - 1) : 0;
        int[] i0 = new int[out];
        int[] i1 = new int[out];
        double[] l = new double[out];
        for (int i = 0; i < out; i++) {
            if (mode == Mode.NEAREST) {
                i0[i] = nearestIndex(i, in, out, size != null ? 0 : factor);
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
        return mode == null ? new Upsample(scale)
                : size != null ? new Upsample(size, mode, alignCorners) : new Upsample(factor, mode, alignCorners);
    }

    @Override
    public String toString() {
        return mode == null ? "Upsample(x" + scale + ")"
                : "Upsample(" + (size != null ? "size " + size[0] + "x" + size[1] : "x" + factor) + ", " + mode.name().toLowerCase(java.util.Locale.ROOT)
                        + (alignCorners ? ", align_corners" : "") + ")";
    }
}
