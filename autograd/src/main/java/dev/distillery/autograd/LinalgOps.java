package dev.distillery.autograd;

import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.ConvGeometry;
import dev.distillery.autograd.backend.MatmulPlan;
import dev.distillery.autograd.backend.Storage;

import java.util.Arrays;

/**
 * Matrix products and the image ops built on them. Matmul, unfold (im2col) and fold (col2im)
 * are primitives; convolution, pooling and upsampling are compositions, so their gradients
 * (including second order) come from those three.
 */
final class LinalgOps {
    private LinalgOps() {
    }

    /**
     * {@code C = op(A) op(B)} over the last two dimensions, batch dimensions broadcast;
     * {@code op} transposes when its flag is set. With {@code C = A B}: {@code dA = g B^T},
     * {@code dB = A^T g}; the transposed cases permute these, and each is itself a matmul with
     * transpose flags, so no transpose is materialised.
     */
    static Tensor matmul(Tensor a, Tensor b, boolean ta, boolean tb) {
        Graph.checkCompatible("matmul", a, b);
        if (!ta && !tb && (a.rank() == 1 || b.rank() == 1) && a.rank() >= 1 && b.rank() >= 1) {
            return matmulVectors(a, b);
        }
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("matmul: operands need rank >= 2" + (ta || tb ? " when transposed" : "")
                    + ", got " + a.shape() + " and " + b.shape() + (ta || tb ? "; use unsqueeze for vectors" : ""));
        }
        int ar = a.dim(-2), ac = a.dim(-1), br = b.dim(-2), bc = b.dim(-1);
        int m = ta ? ac : ar;
        int k = ta ? ar : ac;
        int kb = tb ? bc : br;
        int n = tb ? br : bc;
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + a.shape() + (ta ? "^T" : "")
                    + " x " + b.shape() + (tb ? "^T" : "") + " (" + k + " vs " + kb + ")");
        }
        Shape aBatch = Shape.of(Arrays.copyOf(a.shape().dims(), a.rank() - 2));
        Shape bBatch = Shape.of(Arrays.copyOf(b.shape().dims(), b.rank() - 2));
        Shape batch = Shape.broadcast("matmul (batch dimensions)", aBatch, bBatch);
        int nb = batch.numel();
        int[] aOff = batchOffsets(aBatch, batch, ar * ac);
        int[] bOff = batchOffsets(bBatch, batch, br * bc);
        int[] outDims = Arrays.copyOf(batch.dims(), batch.rank() + 2);
        outDims[batch.rank()] = m;
        outDims[batch.rank() + 1] = n;
        Shape outShape = Shape.of(outDims);
        Backend be = a.backend();
        Storage s = be.allocateForOverwrite(a.dtype(), outShape.numel());
        be.matmul(a.storage(), b.storage(), s, new MatmulPlan(nb, m, n, k, ta, tb, aOff, bOff));
        return Graph.record(Primitive.MATMUL, new Tensor(s, outShape), g -> {
            Tensor ga = null;
            Tensor gb = null;
            if (a.requiresGrad() && sharedLeftThin(a, b, ta, tb, m, n, k)) {
                ga = sharedLeftGrad(g, b, m, n, k);
            } else if (a.requiresGrad()) {
                ga = ta ? (tb ? matmul(b, g, true, true) : matmul(b, g, false, true))
                        : (tb ? matmul(g, b, false, false) : matmul(g, b, false, true));
                ga = ElementwiseOps.unbroadcast(ga, a.shape());
            }
            if (b.requiresGrad()) {
                gb = tb ? (ta ? matmul(g, a, true, true) : matmul(g, a, true, false))
                        : (ta ? matmul(a, g, false, false) : matmul(a, g, true, false));
                gb = ElementwiseOps.unbroadcast(gb, b.shape());
            }
            return new Tensor[] {ga, gb};
        }, a, b);
    }

    /**
     * True when {@code A [m, k]} is shared by a batch {@code B [nb, k, n]} (conv2d's weight against
     * its column matrices) and its gradient is cheaper as one product over the batch than as nb
     * per-batch products: those write an {@code [nb, m, k]} stack to be summed, and each has inner
     * size n; the single product instead copies g and B into {@code [m, nb n]} and
     * {@code [k, nb n]}. Chosen when the stack is the larger, {@code m k > n (m + k)}.
     */
    private static boolean sharedLeftThin(Tensor a, Tensor b, boolean ta, boolean tb, int m, int n, int k) {
        return a.rank() == 2 && b.rank() == 3 && !ta && !tb && (long) m * k > (long) n * (m + k);
    }

    /**
     * {@code dA = sum_b g_b B_b^T} as one product {@code g' B'^T} with {@code g' = [m, nb n]} and
     * {@code B' = [k, nb n]} (the batch moved next to the columns), so the sum over the batch is
     * the product's own inner sum.
     */
    private static Tensor sharedLeftGrad(Tensor g, Tensor b, int m, int n, int k) {
        int nb = b.dim(0);
        Tensor gFlat = ShapeOps.reshape(ShapeOps.permute(g, 1, 0, 2), m, nb * n);
        Tensor bFlat = ShapeOps.reshape(ShapeOps.permute(b, 1, 0, 2), k, nb * n);
        return matmul(gFlat, bFlat, false, true);
    }

    private static int[] batchOffsets(Shape own, Shape batch, int matrixSize) {
        int nb = batch.numel();
        int[] strides = own.broadcastStrides(batch);
        int[] dims = batch.dims();
        int[] off = new int[nb];
        for (int i = 0; i < nb; i++) {
            int rem = i;
            int o = 0;
            for (int d = dims.length - 1; d >= 0; d--) {
                int q = rem / dims[d];
                o += (rem - q * dims[d]) * strides[d];
                rem = q;
            }
            off[i] = o * matrixSize;
        }
        return off;
    }

    /** im2col: {@code [B, C, H, W] -> [B, C*kh*kw, outH*outW]}; the gradient is fold. */
    static Tensor unfold(Tensor x, int kh, int kw, int stride, int padding) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("unfold: input must be [batch, channels, height, width], got " + x.shape());
        }
        ConvGeometry geo = new ConvGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), kh, kw, stride, padding, padding);
        return unfold(x, geo);
    }

    private static Tensor unfold(Tensor x, ConvGeometry geo) {
        Shape out = Shape.of(geo.batch(), geo.colRows(), geo.colCols());
        Backend be = x.backend();
        Storage s = be.allocate(x.dtype(), out.numel());
        be.im2col(x.storage(), s, geo);
        return Graph.record(Primitive.UNFOLD, new Tensor(s, out), g -> new Tensor[] {fold(g, geo)}, x);
    }

    /**
     * torch.matmul's rank-1 cases, by unsqueeze, the matrix product and squeeze (so the gradients,
     * of every order, are those ops'): a vector {@code a [k]} on the left is the row {@code [1, k]}
     * whose added dimension is removed from the result, {@code [k] x [..., k, n] -> [..., n]}; a
     * vector {@code b [k]} on the right is the column {@code [k, 1]}, {@code [..., m, k] x [k] -> [..., m]};
     * two vectors give their dot product, rank 0.
     */
    private static Tensor matmulVectors(Tensor a, Tensor b) {
        boolean rowLeft = a.rank() == 1;
        boolean columnRight = b.rank() == 1;
        Tensor a2 = rowLeft ? ShapeOps.unsqueeze(a, 0) : a;
        Tensor b2 = columnRight ? ShapeOps.unsqueeze(b, 1) : b;
        if (a2.dim(-1) != b2.dim(-2)) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + a.shape() + " x " + b.shape()
                    + " (" + a2.dim(-1) + " vs " + b2.dim(-2) + ")");
        }
        Tensor c = matmul(a2, b2, false, false);
        if (columnRight) {
            c = ShapeOps.squeeze(c, c.rank() - 1);
        }
        if (rowLeft) {
            c = ShapeOps.squeeze(c, c.rank() - 1 - (columnRight ? 0 : 1));
        }
        return c;
    }

    /** col2im: sums overlapping windows back into {@code [B, C, H, W]}; the gradient is unfold. */
    static Tensor fold(Tensor cols, ConvGeometry geo) {
        Shape out = Shape.of(geo.batch(), geo.channels(), geo.height(), geo.width());
        Backend be = cols.backend();
        Storage s = be.allocate(cols.dtype(), out.numel());
        be.col2im(cols.storage(), s, geo);
        return Graph.record(Primitive.FOLD, new Tensor(s, out), g -> new Tensor[] {unfold(g, geo)}, cols);
    }

    /**
     * 2-D cross-correlation as PyTorch's conv2d: {@code out[b, o, y, x] = bias[o] + sum_{c, i, j}
     * w[o, c, i, j] in[b, g(o) C/G + c, y s + i - p, x s + j - p]}. Without groups, the primitive
     * {@link #convolve}; with groups, unfold and one GEMM per group over the whole batch.
     */
    static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int groups) {
        if (x.rank() != 4 || w.rank() != 4) {
            throw new IllegalArgumentException("conv2d: input must be [B, C, H, W] and weight [O, C/groups, kh, kw]; got "
                    + x.shape() + " and " + w.shape());
        }
        int bsz = x.dim(0), c = x.dim(1), o = w.dim(0), kh = w.dim(2), kw = w.dim(3);
        if (groups < 1 || c % groups != 0 || o % groups != 0 || w.dim(1) != c / groups) {
            throw new IllegalArgumentException("conv2d: input " + x.shape() + " with " + groups + " groups needs weight ["
                    + "O, " + (groups > 0 && c % groups == 0 ? c / groups : "C/groups") + ", kh, kw] with O divisible by "
                    + "groups; got weight " + w.shape());
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != o)) {
            throw new IllegalArgumentException("conv2d: bias must have shape [" + o + "], got " + bias.shape());
        }
        if (groups == 1) {
            return convolve(x, w, bias, new ConvGeometry(bsz, c, x.dim(2), x.dim(3), kh, kw, stride, padding, padding));
        }
        // with groups, one GEMM per group over the whole batch: W [O/G, K] x cols [K, B*L]
        Tensor cols = unfold(x, kh, kw, stride, padding);
        int k = cols.dim(1);
        int l = cols.dim(2);
        int oh = (x.dim(2) + 2 * padding - kh) / stride + 1;
        int ow = (x.dim(3) + 2 * padding - kw) / stride + 1;
        Tensor colsT = ShapeOps.reshape(ShapeOps.permute(
                ShapeOps.reshape(cols, bsz, groups, k / groups, l), 1, 2, 0, 3), groups, k / groups, bsz * l);
        Tensor wg = ShapeOps.reshape(w, groups, o / groups, k / groups);
        Tensor out = matmul(wg, colsT, false, false);                  // [G, O/G, B*L]
        out = ShapeOps.permute(ShapeOps.reshape(out, o, bsz, l), 1, 0, 2);
        out = ShapeOps.reshape(out, bsz, o, oh, ow);
        if (bias != null) {
            out = ElementwiseOps.add(out, ShapeOps.reshape(bias, 1, o, 1, 1));
        }
        return out;
    }

    /**
     * Convolution without groups, {@code y_b = W cols(x)_b + bias} with {@code W = w} viewed as
     * {@code [O, C kh kw]} and the bias optional: a primitive whose backend kernel need not store the
     * column matrix. Bilinear in (x, w), so its gradients are the two adjoints,
     * {@code dx = convInputGrad(g, w)} and {@code dw = convWeightGrad(x, g)}, each again bilinear
     * and differentiable; {@code dbias[o] = sum_{b, l} g[b, o, l]}.
     */
    private static Tensor convolve(Tensor x, Tensor w, Tensor bias, ConvGeometry geo) {
        int o = w.dim(0);
        Shape out = Shape.of(geo.batch(), o, geo.outHeight(), geo.outWidth());
        Backend be = x.backend();
        Tensor[] inputs = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
        Graph.checkCompatible("conv2d", inputs);
        // with no input channel the kernel has no product to write: the output stays zeros
        Storage s = geo.colRows() > 0 ? be.allocateForOverwrite(x.dtype(), out.numel()) : be.allocate(x.dtype(), out.numel());
        be.conv2d(x.storage(), w.storage(), bias == null ? null : bias.storage(), s, geo, o);
        return Graph.record(Primitive.CONV2D, new Tensor(s, out), g -> {
            Tensor dx = x.requiresGrad() ? convInputGrad(g, w, geo) : null;
            Tensor dw = w.requiresGrad() ? convWeightGrad(x, g, geo, w.shape()) : null;
            if (bias == null) {
                return new Tensor[] {dx, dw};
            }
            Tensor db = bias.requiresGrad()
                    ? ShapeOps.reshape(ReductionOps.sum(g, new int[] {0, 2, 3}, false), bias.shape().dims()) : null;
            return new Tensor[] {dx, dw, db};
        }, inputs);
    }

    private static Tensor convolve(Tensor x, Tensor w, ConvGeometry geo) {
        return convolve(x, w, null, geo);
    }

    /**
     * The adjoint of convolution in its input, {@code dx = fold(W^T g)}:
     * {@code dx[c, u, v] = sum_{o, i, j} w[o, c, i, j] g[o, u - i + p, v - j + p]}. At stride 1
     * with {@code p <= k - 1} this is itself a convolution, of g with the kernel transposed in
     * its channels and flipped in space, {@code w'[c, o, i, j] = w[o, c, kh-1-i, kw-1-j]}, at
     * padding {@code k - 1 - p} (substitute {@code i' = kh - 1 - i}); else the fold of the product.
     */
    private static Tensor convInputGrad(Tensor g, Tensor w, ConvGeometry geo) {
        int o = w.dim(0);
        int kh = geo.kh(), kw = geo.kw();
        if (geo.stride() == 1 && geo.padH() <= kh - 1 && geo.padW() <= kw - 1) {
            int[] flipped = new int[kh * kw];
            for (int i = 0; i < flipped.length; i++) {
                flipped[i] = flipped.length - 1 - i;          // (i, j) -> (kh-1-i, kw-1-j) in the flat index
            }
            Tensor wt = ShapeOps.reshape(ShapeOps.permute(w, 1, 0, 2, 3), geo.channels(), o, kh * kw).indexSelect(2, flipped);
            wt = ShapeOps.reshape(wt, geo.channels(), o, kh, kw);
            return convolve(g, wt, new ConvGeometry(geo.batch(), o, geo.outHeight(), geo.outWidth(), kh, kw, 1,
                    kh - 1 - geo.padH(), kw - 1 - geo.padW()));
        }
        Tensor cols = matmul(ShapeOps.reshape(w, o, geo.colRows()),
                ShapeOps.reshape(g, geo.batch(), o, geo.colCols()), true, false);
        return fold(cols, geo);
    }

    /**
     * The adjoint of convolution in its weight, {@code dw = sum_b g_b cols(x)_b^T} (shape of w): a
     * primitive whose kernel sums over the batch inside one product. With upstream U (shape of
     * w), {@code <U, sum_b g_b cols_b^T> = <conv(x, U), g> = <convInputGrad(g, U), x>}, which are
     * its two gradients.
     */
    private static Tensor convWeightGrad(Tensor x, Tensor g, ConvGeometry geo, Shape weightShape) {
        int o = weightShape.dim(0);
        Backend be = x.backend();
        Storage s = be.allocateForOverwrite(x.dtype(), weightShape.numel());
        be.conv2dWeightGrad(x.storage(), g.storage(), s, geo, o);
        return Graph.record(Primitive.CONV2D_WEIGHT_GRAD, new Tensor(s, weightShape), u -> new Tensor[] {
            x.requiresGrad() ? convInputGrad(g, u, geo) : null,
            g.requiresGrad() ? convolve(x, u, geo) : null}, x, g);
    }

    /** Mean over {@code kernel x kernel} windows with the given stride (no padding). */
    static Tensor avgPool2d(Tensor x, int kernel, int stride) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("avgPool2d: input must be [B, C, H, W], got " + x.shape());
        }
        int b = x.dim(0), c = x.dim(1);
        int oh = (x.dim(2) - kernel) / stride + 1;
        int ow = (x.dim(3) - kernel) / stride + 1;
        Tensor cols = unfold(ShapeOps.reshape(x, b * c, 1, x.dim(2), x.dim(3)), kernel, kernel, stride, 0);
        return ShapeOps.reshape(ReductionOps.mean(cols, new int[] {1}, false), b, c, oh, ow);
    }

    /** Nearest-neighbour upsampling by an integer factor: each pixel becomes a {@code scale x scale} block. */
    static Tensor upsampleNearest2d(Tensor x, int scale) {
        if (x.rank() != 4 || scale < 1) {
            throw new IllegalArgumentException("upsampleNearest2d: need [B, C, H, W] input and scale >= 1, got "
                    + x.shape() + " and " + scale);
        }
        int b = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        Tensor e = ShapeOps.expand(ShapeOps.reshape(x, b, c, h, 1, w, 1), b, c, h, scale, w, scale);
        return ShapeOps.reshape(e, b, c, h * scale, w * scale);
    }
}
