package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

/**
 * 2-D transposed convolution as PyTorch's {@code nn.ConvTranspose2d(in, out, k, stride, padding,
 * output_padding, groups, bias)} (square kernel, {@code dilation = 1}): the adjoint of
 * {@link Conv2d}'s map from input to output, each input pixel scattering its kernel-weighted copy,
 * {@code y[b, o, i s + u - p, j s + v - p] += W[c, o - g(c) O/G, u, v] x[b, c, i, j]} (c over the
 * channels of o's group), plus {@code bias[o]}, so
 * {@code H_out = (H - 1) s - 2p + k + output_padding}. Weight layout as PyTorch's:
 * {@code [in, out/groups, k, k]}; initialisation {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))} with
 * PyTorch's {@code fan_in = out/groups k^2} (its dimension 1), for weight and bias.
 *
 * <p>Built from differentiable ops: the input is dilated by the stride (zeros inserted between
 * pixels, by pad and reshape), padded by {@code k - 1 - p} (cropped where that is negative) and
 * by {@code output_padding} at the bottom and right, then convolved at stride 1 with the kernel
 * flipped in both spatial axes and its channel axes swapped within each group.
 */
public final class ConvTranspose2d extends Module implements Layer {
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int outputPadding;
    private final int groups;
    private final Tensor weight;
    private final Tensor bias;

    /** A transposed convolution with bias, no output padding, one group. */
    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding, Init init) {
        this(in, out, kernel, stride, padding, 0, 1, true, init);
    }

    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding, int outputPadding, int groups,
                           boolean bias, Init init) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0 || groups < 1 || in % groups != 0
                || out % groups != 0 || outputPadding < 0 || outputPadding >= stride) {
            throw new IllegalArgumentException("ConvTranspose2d(" + in + " -> " + out + ", " + kernel + "x" + kernel
                    + ", stride " + stride + ", padding " + padding + ", output_padding " + outputPadding + ", groups "
                    + groups + "): sizes must be positive, channels divisible by groups and output_padding below the stride");
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.outputPadding = outputPadding;
        this.groups = groups;
        double bound = Init.fanInBound(out / groups * kernel * kernel);
        this.weight = registerParameter("weight", init.uniform(bound, in, out / groups, kernel, kernel));
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
        int outH = (h - 1) * stride - 2 * padding + kernel + outputPadding;
        int outW = (w - 1) * stride - 2 * padding + kernel + outputPadding;
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " gives an empty output");
        }
        Tensor d = x;
        if (stride > 1) {   // x[i, j] moves to (i s, j s), zeros between
            d = x.reshape(b, in, h, 1, w, 1)
                    .pad(new int[] {0, 0, 0, 0, 0, 0}, new int[] {0, 0, 0, stride - 1, 0, stride - 1})
                    .reshape(b, in, h * stride, w * stride)
                    .slice(2, 0, (h - 1) * stride + 1).slice(3, 0, (w - 1) * stride + 1);
        }
        int edge = kernel - 1 - padding;
        if (edge >= 0) {
            d = d.pad(new int[] {0, 0, edge, edge}, new int[] {0, 0, edge + outputPadding, edge + outputPadding});
        } else {
            d = d.pad(new int[] {0, 0, 0, 0}, new int[] {0, 0, outputPadding, outputPadding});
            d = d.slice(2, -edge, d.dim(2) + edge).slice(3, -edge, d.dim(3) + edge);
        }
        return d.conv2d(convWeight(), bias, 1, 0, groups);
    }

    /** {@code [in, out/G, k, k]} as the equivalent stride-1 convolution's {@code [out, in/G, k, k]}, flipped. */
    private Tensor convWeight() {
        int[] reversed = new int[kernel];
        for (int i = 0; i < kernel; i++) {
            reversed[i] = kernel - 1 - i;
        }
        Tensor flipped = weight.indexSelect(2, reversed).indexSelect(3, reversed);
        return flipped.reshape(groups, in / groups, out / groups, kernel, kernel)
                .permute(0, 2, 1, 3, 4)
                .reshape(out, in / groups, kernel, kernel);
    }

    @Override
    protected Module rebuild() {
        return new ConvTranspose2d(in, out, kernel, stride, padding, outputPadding, groups, bias != null,
                Init.of(weight.dtype(), 0));
    }

    @Override
    public String toString() {
        return "ConvTranspose2d(" + in + " -> " + out + ", " + kernel + "x" + kernel
                + (stride != 1 ? ", stride " + stride : "") + (padding != 0 ? ", padding " + padding : "")
                + (outputPadding != 0 ? ", output_padding " + outputPadding : "")
                + (groups != 1 ? ", groups " + groups : "") + ")";
    }
}
