package dev.distillery.nn.layers;

import dev.distillery.autograd.Pooled;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

import java.util.Arrays;

/**
 * 2-D max pooling as PyTorch's {@code nn.MaxPool2d(kernel_size, stride, padding, dilation,
 * return_indices, ceil_mode)}, every size a pair {@code (h, w)} or one number for both:
 * {@code y[b, c, i, j] = max_{0 <= u < kH, 0 <= v < kW} x[b, c, i sH + u dH - pH, j sW + v dW - pW]},
 * where positions outside the input count as {@code -inf} (implicit negative-infinity padding, as
 * PyTorch), so per axis {@code out = floor((in + 2p - d (k - 1) - 1) / s) + 1}; with
 * {@code ceil_mode} the division rounds up, except that a last window starting at or past
 * {@code in + p} is dropped (PyTorch's rule: every window starts inside the input or its left/top
 * padding). The stride defaults to the kernel size; as PyTorch requires, {@code p <= k / 2}.
 *
 * <p>Which maximum: among the window's taps inside the input, scanned row by row, the first that
 * is larger than all before it, a NaN always replacing the candidate: PyTorch's CPU rule. So
 * among equal maxima the first in row-major order gets the whole gradient (not a share), a NaN is
 * the maximum, and each input's gradient is the sum over the windows it wins.
 * {@link #forwardWithIndices} also returns, as {@code return_indices=True} does, each maximum's
 * flat index {@code iy * W + ix} within its {@code (b, c)} plane (the indices {@code MaxUnpool2d}
 * reads). A window whose taps all fall into the padding, which PyTorch fills with {@code -inf}
 * and an index outside the plane, is refused.
 *
 * <p>One op of autograd ({@link Tensor#maxPool2dWithIndices}): a backend kernel finds the indices,
 * the values are a gather at them and the gradient the adjoint scatter-add, so gradients of every
 * order are exact. The layer has no parameters.
 */
public final class MaxPool2d extends Module implements Layer {
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean ceilMode;

    /** Stride equal to the kernel and no padding, PyTorch's defaults. */
    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        this(kernel, stride, padding, 1, false);
    }

    /** Square windows: {@code nn.MaxPool2d(kernel, stride, padding, dilation, ceil_mode=ceilMode)}. */
    public MaxPool2d(int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        this(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {dilation, dilation}, ceilMode);
    }

    /**
     * Each size a pair {@code {h, w}}, PyTorch's tuple arguments; a null stride is the kernel
     * (PyTorch's {@code stride=None}).
     */
    public MaxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        int[] s = stride == null ? kernel : stride;
        String what = "MaxPool2d(kernel " + Arrays.toString(kernel) + ", stride " + Arrays.toString(s) + ", padding "
                + Arrays.toString(padding) + ", dilation " + Arrays.toString(dilation) + ")";
        for (int[] pair : new int[][] {kernel, s, padding, dilation}) {
            if (pair == null || pair.length != 2) {
                throw new IllegalArgumentException(what + ": each size is a pair {h, w}; pass two numbers");
            }
        }
        for (int a = 0; a < 2; a++) {
            if (kernel[a] < 1 || s[a] < 1 || dilation[a] < 1) {
                throw new IllegalArgumentException(what + ": kernel, stride and dilation must be positive; use 1 or more");
            }
            if (padding[a] < 0 || padding[a] > kernel[a] / 2) {
                throw new IllegalArgumentException(what + ": padding must be between 0 and half the kernel, as in "
                        + "PyTorch; use a smaller padding or a larger kernel");
            }
        }
        this.kernel = kernel.clone();
        this.stride = s.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.ceilMode = ceilMode;
    }

    /** The kernel height (the width for a square kernel). */
    public int kernel() {
        return kernel[0];
    }

    public int stride() {
        return stride[0];
    }

    public int padding() {
        return padding[0];
    }

    @Override
    public Tensor forward(Tensor x) {
        return forwardWithIndices(x).output();
    }

    /** The output and the flat per-plane indices of the maxima: PyTorch's {@code return_indices=True}. */
    public Pooled forwardWithIndices(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " is not [B, C, H, W]");
        }
        try {
            return x.maxPool2dWithIndices(kernel, stride, padding, dilation, ceilMode);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + ", input " + x.shape() + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected Module rebuild() {
        return new MaxPool2d(kernel, stride, padding, dilation, ceilMode);
    }

    @Override
    public String toString() {
        return "MaxPool2d(" + pair(kernel) + (!Arrays.equals(stride, kernel) ? ", stride " + pair(stride) : "")
                + (padding[0] != 0 || padding[1] != 0 ? ", padding " + pair(padding) : "")
                + (dilation[0] != 1 || dilation[1] != 1 ? ", dilation " + pair(dilation) : "")
                + (ceilMode ? ", ceil_mode" : "") + ")";
    }

    private static String pair(int[] p) {
        return p[0] == p[1] ? Integer.toString(p[0]) : p[0] + "x" + p[1];
    }
}
