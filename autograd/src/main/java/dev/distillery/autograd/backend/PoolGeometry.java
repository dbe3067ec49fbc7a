package dev.distillery.autograd.backend;

import java.util.function.IntToDoubleFunction;

/**
 * The geometry of 2-D max pooling as PyTorch's {@code max_pool2d(kernel_size, stride, padding,
 * dilation, ceil_mode)} over {@code planes} planes of {@code height x width}: kernel
 * {@code kh x kw}, stride {@code strideH x strideW}, implicit {@code -inf} padding
 * {@code padH x padW} and dilation {@code dilationH x dilationW}. Window {@code (oy, ox)} reads
 * the taps {@code (oy sH - pH + i dH, ox sW - pW + j dW)}, {@code 0 <= i < kh}, {@code 0 <= j < kw},
 * those inside the plane. The output size per axis is PyTorch's {@code pooling_output_shape}:
 * {@code out = floor((in + 2p - d (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1}, and in ceil mode one
 * less when the last window would start at or past {@code in + p} (each window starts inside the
 * input or its left/top padding).
 *
 * <p>As PyTorch, the kernel, stride and dilation must be positive and the padding between 0 and
 * half the kernel ({@code p <= k / 2}), and the output must not be empty. Unlike PyTorch, a window
 * whose taps all fall into the padding is refused (PyTorch returns {@code -inf} there with an index
 * outside the plane); that needs a dilation larger than the input allows.
 */
public record PoolGeometry(int planes, int height, int width, int kh, int kw, int strideH, int strideW,
                           int padH, int padW, int dilationH, int dilationW, boolean ceilMode) {

    public PoolGeometry {
        String what = "max_pool2d(kernel " + kh + "x" + kw + ", stride " + strideH + "x" + strideW + ", padding "
                + padH + "x" + padW + ", dilation " + dilationH + "x" + dilationW + (ceilMode ? ", ceil_mode" : "") + ")";
        if (kh < 1 || kw < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException(what + ": kernel, stride and dilation must be positive; use 1 or more");
        }
        if (padH < 0 || padW < 0 || padH > kh / 2 || padW > kw / 2) {
            throw new IllegalArgumentException(what + ": padding must be between 0 and half the kernel (" + kh / 2
                    + "x" + kw / 2 + "), as in PyTorch; use a smaller padding or a larger kernel");
        }
        if (planes < 0 || height < 1 || width < 1) {
            throw new IllegalArgumentException(what + ": input planes of " + height + "x" + width
                    + " (" + planes + " planes); each plane needs at least one row and one column");
        }
        int oh = outSize(height, kh, strideH, padH, dilationH, ceilMode);
        int ow = outSize(width, kw, strideW, padW, dilationW, ceilMode);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(what + ": input " + height + "x" + width + " gives output " + oh + "x"
                    + ow + ", which is empty; the dilated kernel spans " + ((kh - 1) * dilationH + 1) + "x"
                    + ((kw - 1) * dilationW + 1) + " but the padded input is " + (height + 2 * padH) + "x"
                    + (width + 2 * padW) + ": use a larger input or a smaller kernel or dilation");
        }
        checkWindowsTouchInput(what, "row", height, kh, strideH, padH, dilationH, oh);
        checkWindowsTouchInput(what, "column", width, kw, strideW, padW, dilationW, ow);
    }

    /** A square pooling window (PyTorch's single-int arguments). */
    public static PoolGeometry square(int planes, int height, int width, int kernel, int stride, int padding,
                                      int dilation, boolean ceilMode) {
        return new PoolGeometry(planes, height, width, kernel, kernel, stride, stride, padding, padding,
                dilation, dilation, ceilMode);
    }

    /** PyTorch's {@code pooling_output_shape} for one axis (may be below 1 for impossible geometries). */
    public static int outSize(int in, int k, int s, int p, int d, boolean ceil) {
        int out = Math.floorDiv(in + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0), s) + 1;
        if (ceil && (out - 1) * s >= in + p) {
            out--;
        }
        return out;
    }

    private static void checkWindowsTouchInput(String what, String axis, int in, int k, int s, int p, int d, int out) {
        for (int o = 0; o < out; o++) {
            int first = firstTap(o * s - p, d);
            if (first >= in || first >= o * s - p + (k - 1) * d + 1) {
                throw new IllegalArgumentException(what + ": the window of output " + axis + " " + o
                        + " covers no input " + axis + " (all its taps fall into the padding; PyTorch returns -inf "
                        + "with an index outside the plane there); use a smaller dilation or padding");
            }
        }
    }

    /** The first tap at or after 0 of a window starting at {@code start}, as PyTorch's kernel finds it. */
    private static int firstTap(int start, int d) {
        return start >= 0 ? start : start + ((-start + d - 1) / d) * d;
    }

    public int outHeight() {
        return outSize(height, kh, strideH, padH, dilationH, ceilMode);
    }

    public int outWidth() {
        return outSize(width, kw, strideW, padW, dilationW, ceilMode);
    }

    /** Elements of one input plane, {@code height * width}. */
    public int planeSize() {
        return height * width;
    }

    /** Windows per plane, {@code outHeight * outWidth}. */
    public int windows() {
        return outHeight() * outWidth();
    }

    /**
     * The flat index {@code iy * width + ix} within the plane of window {@code (oy, ox)}'s maximum,
     * by PyTorch's CPU rule: the taps inside the plane are scanned row by row, starting from the
     * first of them as the candidate with value {@code -inf}, and a tap replaces the candidate when
     * {@code value > max} or the value is NaN. So among equal maxima the first in scan order wins,
     * a NaN wins over every number (the last NaN over earlier ones), and a window of {@code -inf}
     * alone gives its first tap. {@code value} reads the plane's element at a flat index.
     */
    public int argmax(IntToDoubleFunction value, int oy, int ox) {
        int y0 = firstTap(oy * strideH - padH, dilationH);
        int x0 = firstTap(ox * strideW - padW, dilationW);
        int y1 = Math.min(oy * strideH - padH + (kh - 1) * dilationH + 1, height);
        int x1 = Math.min(ox * strideW - padW + (kw - 1) * dilationW + 1, width);
        int best = y0 * width + x0;
        double max = Double.NEGATIVE_INFINITY;
        for (int iy = y0; iy < y1; iy += dilationH) {
            for (int ix = x0; ix < x1; ix += dilationW) {
                int at = iy * width + ix;
                double v = value.applyAsDouble(at);
                if (v > max || Double.isNaN(v)) {
                    max = v;
                    best = at;
                }
            }
        }
        return best;
    }

}
