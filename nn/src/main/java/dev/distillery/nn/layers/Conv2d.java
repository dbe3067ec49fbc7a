package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

/**
 * 2-D cross-correlation as PyTorch's {@code nn.Conv2d}:
 * {@code y[b, o, i, j] = bias[o] + sum_{c, u, v} W[o, c, u, v] x[b, g(o) C/G + c, i s + u - p, j s + v - p]},
 * {@code W: [out, in/groups, k, k]}. Initialisation: {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}
 * with {@code fan_in = in/groups k^2}, for weight and bias.
 */
public final class Conv2d extends Module implements Layer {
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int groups;
    private final Tensor weight;
    private final Tensor bias;

    /** A square-kernel convolution with bias. */
    public Conv2d(int in, int out, int kernel, int stride, int padding, Init init) {
        this(in, out, kernel, stride, padding, 1, true, init);
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding, int groups, boolean bias, Init init) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0 || groups < 1
                || in % groups != 0 || out % groups != 0) {
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
        if (x.dim(2) + 2 * padding < kernel || x.dim(3) + 2 * padding < kernel) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " is smaller than the kernel");
        }
        return x.conv2d(weight, bias, stride, padding, groups);
    }

    @Override
    protected Module rebuild() {
        return new Conv2d(in, out, kernel, stride, padding, groups, bias != null, Init.of(weight.dtype(), 0));
    }

    @Override
    public String toString() {
        return "Conv2d(" + in + " -> " + out + ", " + kernel + "x" + kernel
                + (stride != 1 ? ", stride " + stride : "") + (groups != 1 ? ", groups " + groups : "") + ")";
    }
}
