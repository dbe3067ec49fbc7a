package dev.distillery.autograd;

import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.PoolGeometry;
import dev.distillery.autograd.backend.Storage;

/**
 * Max pooling and the index pair it is built on. The backend's {@code maxPool2dIndices} kernel
 * finds each window's maximum by PyTorch's rule and is not differentiated (the indices are
 * constants, as in PyTorch); the values are then a gather of the input at those indices, a
 * primitive whose adjoint is the scatter-add that PyTorch's {@code max_pool2d} backward performs.
 * Gather and scatter-add with fixed indices are linear and adjoint to each other, so gradients of
 * every order follow.
 */
final class PoolOps {
    /** The largest plane whose flat indices F32 holds exactly (2^24). */
    static final int F32_EXACT_INDICES = 1 << 24;

    private PoolOps() {
    }

    /**
     * {@code torch.nn.functional.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode,
     * return_indices=True)} for {@code x [B, C, H, W]}: the output and the flat per-plane indices
     * {@code iy * W + ix} of the maxima (as integer values of x's dtype, no gradient).
     */
    static Pooled maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("maxPool2d: input must be [B, C, H, W], got " + x.shape());
        }
        for (int[] pair : new int[][] {kernel, stride, padding, dilation}) {
            if (pair == null || pair.length != 2) {
                throw new IllegalArgumentException("maxPool2d: kernel, stride, padding and dilation are pairs {h, w}, got "
                        + java.util.Arrays.toString(pair));
            }
        }
        int b = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        PoolGeometry g = new PoolGeometry(b * c, h, w, kernel[0], kernel[1], stride[0], stride[1], padding[0],
                padding[1], dilation[0], dilation[1], ceilMode);
        if (x.dtype() == DType.F32 && g.planeSize() > F32_EXACT_INDICES) {
            throw new IllegalArgumentException("maxPool2d: planes of " + h + "x" + w + " have flat indices beyond 2^24,"
                    + " which F32 cannot hold exactly; pool in F64 (x.to(DType.F64))");
        }
        Backend be = x.backend();
        int oh = g.outHeight(), ow = g.outWidth();
        Storage idx = be.allocate(x.dtype(), b * c * oh * ow);
        be.maxPool2dIndices(x.storage(), idx, g);
        Tensor indices = new Tensor(idx, Shape.of(b * c, oh * ow));
        Tensor out = gatherPlanes(ShapeOps.reshape(x, b * c, h * w), indices);
        return new Pooled(ShapeOps.reshape(out, b, c, oh, ow), ShapeOps.reshape(indices, b, c, oh, ow));
    }

    /** {@code out[p, l] = x[p, index[p, l]]} for {@code x [P, S]} and constant {@code index [P, L]}; adjoint scatter-add. */
    static Tensor gatherPlanes(Tensor x, Tensor index) {
        int planes = x.dim(0), size = x.dim(1);
        Shape outShape = Shape.of(planes, index.dim(1));
        Backend be = x.backend();
        Storage s = be.allocate(x.dtype(), outShape.numel());
        be.gatherPlanes(x.storage(), index.storage(), s, planes, size);
        return Graph.record(Primitive.GATHER_PLANES, new Tensor(s, outShape),
                g -> new Tensor[] {scatterAddPlanes(g, index, size)}, x);
    }

    /** {@code out[p, index[p, l]] += x[p, l]} into zeros {@code [P, size]}, l increasing; adjoint gather. */
    static Tensor scatterAddPlanes(Tensor x, Tensor index, int size) {
        int planes = x.dim(0);
        Shape outShape = Shape.of(planes, size);
        Backend be = x.backend();
        Storage s = be.allocate(x.dtype(), outShape.numel());
        be.scatterAddPlanes(x.storage(), index.storage(), s, planes, size);
        return Graph.record(Primitive.SCATTER_ADD_PLANES, new Tensor(s, outShape),
                g -> new Tensor[] {gatherPlanes(g, index)}, x);
    }
}
