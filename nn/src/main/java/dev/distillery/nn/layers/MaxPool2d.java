package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

/**
 * 2-D max pooling as PyTorch's {@code nn.MaxPool2d(kernel_size, stride, padding)} (square window,
 * {@code dilation = 1}, {@code ceil_mode = False}):
 * {@code y[b, c, i, j] = max_{0 <= u, v < k} x[b, c, i s + u - p, j s + v - p]}, where positions
 * outside the input count as {@code -inf} (implicit negative-infinity padding, as PyTorch), so
 * {@code H_out = floor((H + 2p - k) / s) + 1} and likewise for W. The stride defaults to the
 * kernel size and, as PyTorch requires, {@code p <= k / 2}, so every window holds an input element.
 *
 * <p>Built from differentiable ops (no primitive of its own): pad, add a constant {@code -inf}
 * border, {@code unfold} into windows and {@code max} over each window; the gradient therefore goes
 * to the window's maximum. Where several elements of a window tie for the maximum it is split
 * equally among them (the {@code max} reduction's subgradient), whereas PyTorch gives all of it to
 * the first; at untied inputs, the generic case, the two agree. The layer has no parameters.
 */
public final class MaxPool2d extends Module implements Layer {
    private final int kernel;
    private final int stride;
    private final int padding;

    /** Stride equal to the kernel and no padding, PyTorch's defaults. */
    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        if (kernel < 1 || stride < 1 || padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException("MaxPool2d(" + kernel + ", stride " + stride + ", padding " + padding
                    + "): kernel and stride must be positive and padding between 0 and half the kernel");
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " is not [B, C, H, W]");
        }
        int b = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int hp = h + 2 * padding, wp = w + 2 * padding;
        if (hp < kernel || wp < kernel) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " is smaller than the kernel");
        }
        Tensor planes = x.reshape(b * c, 1, h, w);
        if (padding > 0) {
            planes = planes.pad(new int[] {0, 0, padding, padding}, new int[] {0, 0, padding, padding})
                    .add(negativeInfinityBorder(x, hp, wp));
        }
        int oh = (hp - kernel) / stride + 1;
        int ow = (wp - kernel) / stride + 1;
        Tensor windows = planes.unfold(kernel, kernel, stride, 0);
        return windows.max(1, false).reshape(b, c, oh, ow);
    }

    /** A constant {@code [1, 1, hp, wp]}: 0 inside, {@code -inf} on the padding border. */
    private Tensor negativeInfinityBorder(Tensor like, int hp, int wp) {
        double[] v = new double[hp * wp];
        for (int i = 0; i < hp; i++) {
            for (int j = 0; j < wp; j++) {
                boolean inside = i >= padding && i < hp - padding && j >= padding && j < wp - padding;
                v[i * wp + j] = inside ? 0.0 : Double.NEGATIVE_INFINITY;
            }
        }
        return Tensor.of(like.dtype(), v, 1, 1, hp, wp).on(like.backend());
    }

    @Override
    protected Module rebuild() {
        return new MaxPool2d(kernel, stride, padding);
    }

    @Override
    public String toString() {
        return "MaxPool2d(" + kernel + (stride != kernel ? ", stride " + stride : "")
                + (padding != 0 ? ", padding " + padding : "") + ")";
    }
}
