package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

import java.util.Arrays;

/**
 * 2-D cross-correlation as PyTorch's {@code nn.Conv2d}:
 * {@code y[b, o, i, j] = bias[o] + sum_{c, u, v} W[o, c, u, v] x[b, g(o) C/G + c, i sH + u dH - pH, j sW + v dW - pW]},
 * {@code W: [out, in/groups, kH, kW]}, dilation d (1 unless given), so per axis
 * {@code out = floor((in + 2p - d (k - 1) - 1) / s) + 1}. Kernel, stride, padding and dilation
 * may differ between height and width (PyTorch's tuple arguments, {@link #Conv2d(int, int, int[],
 * int[], int[], int[], int, boolean, PaddingMode, Init)}). Positions outside the input read 0
 * ({@code padding_mode='zeros'}) or, with {@link PaddingMode}, PyTorch's {@code 'reflect'} (mirror
 * without repeating the edge), {@code 'replicate'} (the edge repeated) or {@code 'circular'}
 * (wrapped around). Initialisation: {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}
 * with {@code fan_in = in/groups kH kW}, for weight and bias.
 *
 * <p>Dilation, the non-zero padding modes and unequal strides or paddings are built from
 * differentiable ops around autograd's convolution (square stride and padding): the kernel is
 * dilated by inserting zeros between its taps (pad and reshape); the input is padded by
 * {@code indexSelect} with the mode's source indices before a convolution without padding, and
 * zero padding that differs between the axes is the convolution's for the smaller and an explicit
 * pad for the rest; strides {@code sH != sW} run the convolution at stride {@code gcd(sH, sW)} and
 * keep every {@code sH/gcd}-th row and {@code sW/gcd}-th column (up to {@code sH sW / gcd^2} times
 * the work of a direct kernel).
 */
public final class Conv2d extends Module implements Layer {
    private final int in;
    private final int out;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int groups;
    private final int[] dilation;
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
        this(in, out, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {dilation, dilation}, groups, bias, paddingMode, init);
    }

    /**
     * PyTorch's {@code nn.Conv2d} with tuple arguments: {@code kernel}, {@code stride},
     * {@code padding} and {@code dilation} are pairs {@code {h, w}}.
     */
    public Conv2d(int in, int out, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups, boolean bias,
                  PaddingMode paddingMode, Init init) {
        String what = "Conv2d(" + in + " -> " + out + ", kernel " + Arrays.toString(kernel) + ", stride "
                + Arrays.toString(stride) + ", padding " + Arrays.toString(padding) + ", dilation "
                + Arrays.toString(dilation) + ", groups " + groups + ")";
        for (int[] pair : new int[][] {kernel, stride, padding, dilation}) {
            if (pair == null || pair.length != 2) {
                throw new IllegalArgumentException(what + ": kernel, stride, padding and dilation are pairs {h, w}; "
                        + "pass two numbers each");
            }
        }
        if (in < 1 || out < 1 || Math.min(kernel[0], kernel[1]) < 1 || Math.min(stride[0], stride[1]) < 1
                || Math.min(padding[0], padding[1]) < 0 || groups < 1 || in % groups != 0 || out % groups != 0
                || Math.min(dilation[0], dilation[1]) < 1 || paddingMode == null) {
            throw new IllegalArgumentException(what + ": sizes, strides and dilations must be positive, padding "
                    + "non-negative, channels divisible by groups and a padding mode given");
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.groups = groups;
        this.dilation = dilation.clone();
        this.paddingMode = paddingMode;
        double bound = Init.fanInBound(in / groups * kernel[0] * kernel[1]);
        this.weight = registerParameter("weight", init.uniform(bound, out, in / groups, kernel[0], kernel[1]));
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
        int spanH = dilation[0] * (kernel[0] - 1) + 1, spanW = dilation[1] * (kernel[1] - 1) + 1;
        if (x.dim(2) + 2 * padding[0] < spanH || x.dim(3) + 2 * padding[1] < spanW) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " is smaller than the kernel ("
                    + spanH + "x" + spanW + " with dilation, the padded input " + (x.dim(2) + 2 * padding[0]) + "x"
                    + (x.dim(3) + 2 * padding[1]) + "); use a larger input, more padding or a smaller kernel");
        }
        boolean square = stride[0] == stride[1] && padding[0] == padding[1];
        if (square && dilation[0] == 1 && dilation[1] == 1 && paddingMode == PaddingMode.ZEROS) {
            return x.conv2d(weight, bias, stride[0], padding[0], groups);
        }
        Tensor w = dilation[0] == 1 && dilation[1] == 1 ? weight : dilate(weight, dilation[0], dilation[1]);
        if (paddingMode == PaddingMode.ZEROS || (padding[0] == 0 && padding[1] == 0)) {
            int p = Math.min(padding[0], padding[1]);
            Tensor padded = padding[0] == padding[1] ? x : x.pad(new int[] {0, 0, padding[0] - p, padding[1] - p},
                    new int[] {0, 0, padding[0] - p, padding[1] - p});
            return strided(padded, w, p);
        }
        if (paddingMode == PaddingMode.REFLECT && (padding[0] >= x.dim(2) || padding[1] >= x.dim(3))) {
            throw new IllegalArgumentException(this + ": reflect padding " + padding[0] + "x" + padding[1]
                    + " needs more rows and columns than that, got input " + x.shape()
                    + "; use a smaller padding or another padding mode");
        }
        Tensor padded = x.indexSelect(2, sourceIndices(x.dim(2), padding[0]))
                .indexSelect(3, sourceIndices(x.dim(3), padding[1]));
        return strided(padded, w, 0);
    }

    /** The convolution at this layer's stride: direct when square, else at the gcd and subsampled. */
    private Tensor strided(Tensor x, Tensor w, int pad) {
        if (stride[0] == stride[1]) {
            return x.conv2d(w, bias, stride[0], pad, groups);
        }
        int g = gcd(stride[0], stride[1]);
        Tensor y = x.conv2d(w, bias, g, pad, groups);
        return y.slice(2, 0, y.dim(2), stride[0] / g).slice(3, 0, y.dim(3), stride[1] / g);
    }

    static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** {@code [O, C, kH, kW] -> [O, C, dH(kH-1)+1, dW(kW-1)+1]}, taps {@code d} apart with zeros between. */
    static Tensor dilate(Tensor w, int dh, int dw) {
        int o = w.dim(0), c = w.dim(1), kh = w.dim(2), kw = w.dim(3);
        return w.reshape(o, c, kh, 1, kw, 1)
                .pad(new int[] {0, 0, 0, 0, 0, 0}, new int[] {0, 0, 0, dh - 1, 0, dw - 1})
                .reshape(o, c, kh * dh, kw * dw)
                .slice(2, 0, dh * (kh - 1) + 1).slice(3, 0, dw * (kw - 1) + 1);
    }

    /** For padded positions {@code -p .. n+p-1}, the input index the padding mode reads. */
    private int[] sourceIndices(int n, int p) {
        int[] idx = new int[n + 2 * p];
        for (int j = 0; j < idx.length; j++) {
            int i = j - p;
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
        return "Conv2d(" + in + " -> " + out + ", " + kernel[0] + "x" + kernel[1]
                + (stride[0] != 1 || stride[1] != 1 ? ", stride " + pair(stride) : "")
                + (groups != 1 ? ", groups " + groups : "")
                + (dilation[0] != 1 || dilation[1] != 1 ? ", dilation " + pair(dilation) : "")
                + (paddingMode != PaddingMode.ZEROS ? ", " + paddingMode.name().toLowerCase(java.util.Locale.ROOT) + " padding " + pair(padding)
                        : padding[0] != padding[1] ? ", padding " + pair(padding) : "")
                + ")";
    }

    static String pair(int[] p) {
        return p[0] == p[1] ? Integer.toString(p[0]) : p[0] + "x" + p[1];
    }
}
