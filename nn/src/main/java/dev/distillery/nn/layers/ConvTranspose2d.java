package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

import java.util.Arrays;

/**
 * 2-D transposed convolution as PyTorch's {@code nn.ConvTranspose2d(in, out, kernel_size, stride,
 * padding, output_padding, groups, bias, dilation)}: the adjoint of {@link Conv2d}'s map from
 * input to output, each input pixel scattering its kernel-weighted copy,
 * {@code y[b, o, i sH + u dH - pH, j sW + v dW - pW] += W[c, o - g(c) O/G, u, v] x[b, c, i, j]} (c over
 * the channels of o's group), plus {@code bias[o]}, so per axis
 * {@code out = (in - 1) s - 2p + d (k - 1) + output_padding + 1}. Kernel, stride, padding, output
 * padding and dilation may differ between height and width (PyTorch's tuple arguments). As PyTorch
 * requires, {@code output_padding} is smaller than the stride or the dilation of its axis. Weight
 * layout as PyTorch's: {@code [in, out/groups, kH, kW]}; initialisation
 * {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))} with PyTorch's {@code fan_in = out/groups kH kW} (its
 * dimension 1), for weight and bias.
 *
 * <p>Built from differentiable ops: the input is dilated by the stride (zeros inserted between
 * pixels, by pad and reshape), padded by {@code d (k - 1) - p} (cropped where that is negative) and
 * by {@code output_padding} at the bottom and right, then convolved at stride 1 with the kernel
 * flipped in both spatial axes, its channel axes swapped within each group and its taps spread by
 * the dilation (zeros between).
 */
public final class ConvTranspose2d extends Module implements Layer {
    private final int in;
    private final int out;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] outputPadding;
    private final int[] dilation;
    private final int groups;
    private final Tensor weight;
    private final Tensor bias;

    /** A transposed convolution with bias, no output padding, one group. */
    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding, Init init) {
        this(in, out, kernel, stride, padding, 0, 1, true, init);
    }

    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding, int outputPadding, int groups,
                           boolean bias, Init init) {
        this(in, out, kernel, stride, padding, outputPadding, groups, bias, 1, init);
    }

    /** Square sizes: {@code nn.ConvTranspose2d(in, out, kernel, stride, padding, output_padding, groups, bias, dilation)}. */
    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding, int outputPadding, int groups,
                           boolean bias, int dilation, Init init) {
        this(in, out, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {outputPadding, outputPadding}, groups, bias, new int[] {dilation, dilation}, init);
    }

    /**
     * PyTorch's {@code nn.ConvTranspose2d} with tuple arguments: {@code kernel}, {@code stride},
     * {@code padding}, {@code outputPadding} and {@code dilation} are pairs {@code {h, w}}.
     */
    public ConvTranspose2d(int in, int out, int[] kernel, int[] stride, int[] padding, int[] outputPadding, int groups,
                           boolean bias, int[] dilation, Init init) {
        String what = "ConvTranspose2d(" + in + " -> " + out + ", kernel " + Arrays.toString(kernel) + ", stride "
                + Arrays.toString(stride) + ", padding " + Arrays.toString(padding) + ", output_padding "
                + Arrays.toString(outputPadding) + ", groups " + groups + ", dilation " + Arrays.toString(dilation) + ")";
        for (int[] pair : new int[][] {kernel, stride, padding, outputPadding, dilation}) {
            if (pair == null || pair.length != 2) {
                throw new IllegalArgumentException(what + ": kernel, stride, padding, output_padding and dilation are "
                        + "pairs {h, w}; pass two numbers each");
            }
        }
        if (in < 1 || out < 1 || Math.min(kernel[0], kernel[1]) < 1 || Math.min(stride[0], stride[1]) < 1
                || Math.min(padding[0], padding[1]) < 0 || groups < 1 || in % groups != 0 || out % groups != 0
                || Math.min(dilation[0], dilation[1]) < 1 || Math.min(outputPadding[0], outputPadding[1]) < 0) {
            throw new IllegalArgumentException(what + ": sizes, strides and dilations must be positive, paddings "
                    + "non-negative and channels divisible by groups");
        }
        for (int a = 0; a < 2; a++) {
            if (outputPadding[a] >= Math.max(stride[a], dilation[a])) {
                throw new IllegalArgumentException(what + ": output_padding must be smaller than the stride or the "
                        + "dilation of its axis, as in PyTorch; use output_padding below " + Math.max(stride[a], dilation[a]));
            }
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.outputPadding = outputPadding.clone();
        this.dilation = dilation.clone();
        this.groups = groups;
        double bound = Init.fanInBound(out / groups * kernel[0] * kernel[1]);
        this.weight = registerParameter("weight", init.uniform(bound, in, out / groups, kernel[0], kernel[1]));
        this.bias = bias ? registerParameter("bias", init.uniform(bound, out)) : null;
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
        int b = x.dim(0), h = x.dim(2), w = x.dim(3);
        int sh = stride[0], sw = stride[1];
        int outH = (h - 1) * sh - 2 * padding[0] + dilation[0] * (kernel[0] - 1) + outputPadding[0] + 1;
        int outW = (w - 1) * sw - 2 * padding[1] + dilation[1] * (kernel[1] - 1) + outputPadding[1] + 1;
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " gives an empty output "
                    + outH + "x" + outW + "; use a smaller padding or a larger input");
        }
        Tensor d = x;
        if (sh > 1 || sw > 1) {   // x[i, j] moves to (i sH, j sW), zeros between
            d = x.reshape(b, in, h, 1, w, 1)
                    .pad(new int[] {0, 0, 0, 0, 0, 0}, new int[] {0, 0, 0, sh - 1, 0, sw - 1})
                    .reshape(b, in, h * sh, w * sw)
                    .slice(2, 0, (h - 1) * sh + 1).slice(3, 0, (w - 1) * sw + 1);
        }
        int edgeH = dilation[0] * (kernel[0] - 1) - padding[0];
        int edgeW = dilation[1] * (kernel[1] - 1) - padding[1];
        if (edgeH >= 0 && edgeW >= 0) {
            d = d.pad(new int[] {0, 0, edgeH, edgeW}, new int[] {0, 0, edgeH + outputPadding[0], edgeW + outputPadding[1]});
        } else {
            int ph = Math.max(edgeH, 0), pw = Math.max(edgeW, 0), cropH = Math.max(-edgeH, 0), cropW = Math.max(-edgeW, 0);
            d = d.pad(new int[] {0, 0, ph, pw}, new int[] {0, 0, ph + outputPadding[0], pw + outputPadding[1]});
            d = d.slice(2, cropH, d.dim(2) - cropH).slice(3, cropW, d.dim(3) - cropW);
        }
        return d.conv2d(convWeight(), bias, 1, 0, groups);
    }

    /** {@code [in, out/G, kH, kW]} as the equivalent stride-1 convolution's {@code [out, in/G, kH', kW']}, flipped and dilated. */
    private Tensor convWeight() {
        int kh = kernel[0], kw = kernel[1];
        Tensor flipped = weight.indexSelect(2, reversed(kh)).indexSelect(3, reversed(kw));
        Tensor w = flipped.reshape(groups, in / groups, out / groups, kh, kw)
                .permute(0, 2, 1, 3, 4)
                .reshape(out, in / groups, kh, kw);
        return dilation[0] == 1 && dilation[1] == 1 ? w : Conv2d.dilate(w, dilation[0], dilation[1]);
    }

    private static int[] reversed(int k) {
        int[] r = new int[k];
        for (int i = 0; i < k; i++) {
            r[i] = k - 1 - i;
        }
        return r;
    }

    @Override
    protected Module rebuild() {
        return new ConvTranspose2d(in, out, kernel, stride, padding, outputPadding, groups, bias != null, dilation,
                Init.of(weight.dtype(), 0));
    }

    @Override
    public String toString() {
        return "ConvTranspose2d(" + in + " -> " + out + ", " + kernel[0] + "x" + kernel[1]
                + (stride[0] != 1 || stride[1] != 1 ? ", stride " + Conv2d.pair(stride) : "")
                + (padding[0] != 0 || padding[1] != 0 ? ", padding " + Conv2d.pair(padding) : "")
                + (outputPadding[0] != 0 || outputPadding[1] != 0 ? ", output_padding " + Conv2d.pair(outputPadding) : "")
                + (groups != 1 ? ", groups " + groups : "")
                + (dilation[0] != 1 || dilation[1] != 1 ? ", dilation " + Conv2d.pair(dilation) : "") + ")";
    }
}
