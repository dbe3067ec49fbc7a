package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

/**
 * 2-D cross-correlation as PyTorch's {@code nn.Conv2d}:
 * {@code y[b, o, i, j] = bias[o] + sum_{c, u, v} W[o, c, u, v] x[b, g(o) C/G + c, i s + u d - p, j s + v d - p]},
 * {@code W: [out, in/groups, k, k]}, dilation d (1 unless given), so
 * {@code H_out = floor((H + 2p - d (k - 1) - 1) / s) + 1}. Positions outside the input read 0
 * ({@code padding_mode='zeros'}) or, with {@link PaddingMode}, PyTorch's {@code 'reflect'} (mirror
 * without repeating the edge), {@code 'replicate'} (the edge repeated) or {@code 'circular'}
 * (wrapped around). Initialisation: {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}
 * with {@code fan_in = in/groups k^2}, for weight and bias.
 *
 * <p>Dilation and the non-zero padding modes are built from differentiable ops: the kernel is
 * dilated by inserting zeros between its taps (pad and reshape), and the input is padded by
 * {@code indexSelect} with the mode's source indices before a convolution without padding.
 */
public final class Conv2d extends Module implements Layer {
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int groups;
    private final int dilation;
    private final PaddingMode paddingMode;
    private final Tensor weight;
    private final Tensor bias;

    /** A square-kernel convolution with bias. */
    public Conv2d(int in, int out, int kernel, int stride, int padding, Init init) {
        this(in, out, kernel, stride, padding, 1, true, init);
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding, int groups, boolean bias, Init init) {
        this(in, out, kernel, stride, padding, 1, groups, bias, PaddingMode.ZEROS, init);
    }

    /** PyTorch's {@code padding_mode} values. */
    public enum PaddingMode { ZEROS, REFLECT, REPLICATE, CIRCULAR }

    /** PyTorch's {@code nn.Conv2d(in, out, kernel, stride, padding, dilation, groups, bias, padding_mode)}. */
    public Conv2d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias,
                  PaddingMode paddingMode, Init init) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0 || groups < 1
                || in % groups != 0 || out % groups != 0 || dilation < 1 || paddingMode == null) {
            throw new IllegalArgumentException("Conv2d(" + in + " -> " + out + ", " + kernel + "x" + kernel
                    + ", stride " + stride + ", padding " + padding + ", groups " + groups
                    + "): sizes must be positive and channels divisible by groups");
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
        this.dilation = dilation;
        this.paddingMode = paddingMode;
        double bound = Init.fanInBound(in / groups * kernel * kernel);
        this.weight = registerParameter("weight", init.uniform(bound, out, in / groups, kernel, kernel));
        this.bias = bias ? registerParameter("bias", init.uniform(bound, out)) : null;
    }

    public int inChannels() {
        return in;
    }

    public int outChannels() {
        return out;
    }

    public Tensor weight() {
        return weight;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != in) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape()
                    + (x.rank() != 4 ? " is not [B, C, H, W]" : " has " + x.dim(1) + " channels, expected " + in));
        }
        int span = dilation * (kernel - 1) + 1;
        if (x.dim(2) + 2 * padding < span || x.dim(3) + 2 * padding < span) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " is smaller than the kernel");
        }
        if (dilation == 1 && paddingMode == PaddingMode.ZEROS) {
            return x.conv2d(weight, bias, stride, padding, groups);
        }
        Tensor w = dilation == 1 ? weight : dilate(weight, dilation);
        if (paddingMode == PaddingMode.ZEROS || padding == 0) {
            return x.conv2d(w, bias, stride, padding, groups);
        }
        if (paddingMode == PaddingMode.REFLECT && (padding >= x.dim(2) || padding >= x.dim(3))) {
            throw new IllegalArgumentException(this + ": reflect padding " + padding + " needs more than " + padding
                    + " rows and columns, got input " + x.shape());
        }
        Tensor padded = x.indexSelect(2, sourceIndices(x.dim(2))).indexSelect(3, sourceIndices(x.dim(3)));
        return padded.conv2d(w, bias, stride, 0, groups);
    }

    /** {@code [O, C, k, k] -> [O, C, d(k-1)+1, d(k-1)+1]}, taps {@code d} apart with zeros between. */
    private static Tensor dilate(Tensor w, int d) {
        int o = w.dim(0), c = w.dim(1), k = w.dim(2);
        int span = d * (k - 1) + 1;
        return w.reshape(o, c, k, 1, k, 1)
                .pad(new int[] {0, 0, 0, 0, 0, 0}, new int[] {0, 0, 0, d - 1, 0, d - 1})
                .reshape(o, c, k * d, k * d)
                .slice(2, 0, span).slice(3, 0, span);
    }

    /** For padded positions {@code -p .. n+p-1}, the input index the padding mode reads. */
    private int[] sourceIndices(int n) {
        int[] idx = new int[n + 2 * padding];
        for (int j = 0; j < idx.length; j++) {
            int i = j - padding;
            idx[j] = switch (paddingMode) {
                case REFLECT -> i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
                case REPLICATE -> Math.min(Math.max(i, 0), n - 1);
                case CIRCULAR -> Math.floorMod(i, n);
                case ZEROS -> throw new IllegalStateException("zero padding is the convolution's own");
            };
        }
        return idx;
    }

    @Override
    protected Module rebuild() {
        return new Conv2d(in, out, kernel, stride, padding, dilation, groups, bias != null, paddingMode,
                Init.of(weight.dtype(), 0));
    }

    @Override
    public String toString() {
        return "Conv2d(" + in + " -> " + out + ", " + kernel + "x" + kernel
                + (stride != 1 ? ", stride " + stride : "") + (groups != 1 ? ", groups " + groups : "")
                + (dilation != 1 ? ", dilation " + dilation : "")
                + (paddingMode != PaddingMode.ZEROS ? ", " + paddingMode.name().toLowerCase(java.util.Locale.ROOT) + " padding " + padding : "")
                + ")";
    }
}
