package dev.distillery.autograd.backend;

/**
 * The geometry of a 2-D sliding window over an input {@code [batch, channels, height, width]}:
 * kernel {@code kh x kw}, stride, zero padding and dilation 1. Output spatial size
 * {@code out = floor((in + 2 pad - k) / stride) + 1}, as in PyTorch.
 */
public record ConvGeometry(int batch, int channels, int height, int width, int kh, int kw,
                           int stride, int padH, int padW) {

    public ConvGeometry {
        if (kh <= 0 || kw <= 0 || stride <= 0 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv geometry: kernel " + kh + "x" + kw + ", stride "
                    + stride + ", padding " + padH + "x" + padW
                    + " is invalid; kernel and stride must be positive and padding non-negative");
        }
        if (height + 2 * padH < kh || width + 2 * padW < kw) {
            throw new IllegalArgumentException("conv geometry: kernel " + kh + "x" + kw
                    + " is larger than the padded input " + (height + 2 * padH) + "x" + (width + 2 * padW));
        }
    }

    public int outHeight() {
        return (height + 2 * padH - kh) / stride + 1;
    }

    public int outWidth() {
        return (width + 2 * padW - kw) / stride + 1;
    }

    /** Rows of one image's column matrix: {@code channels * kh * kw}. */
    public int colRows() {
        return channels * kh * kw;
    }

    /** Columns of one image's column matrix: {@code outHeight * outWidth}. */
    public int colCols() {
        return outHeight() * outWidth();
    }
}
