package dev.distillery.autograd.backend;

import dev.distillery.autograd.DType;

import java.util.function.IntToDoubleFunction;

/**
 * The kernel interface every backend implements: about twenty kernels, from which the autograd
 * layer builds every op and every gradient. Kernels read and write storages of this backend only
 * and never allocate their outputs; all indexing is described by plans computed once in the core.
 *
 * <p>Contract shared by all backends: outputs are written in full; for a fixed backend instance
 * results are bit-identical for any thread count (fixed partitioning, fixed accumulation order);
 * results agree with {@code ScalarBackend}, the plain-loop oracle, up to rounding.
 */
public interface Backend {

    /** Short name used for selection: "scalar", "simd", "cuda". */
    String name();

    /** A zero-filled storage of n elements. */
    Storage allocate(DType dtype, int n);

    /**
     * A storage of n elements for the output of a kernel that overwrites all of it (the kernels
     * documented as overwriting, and the element-wise ones): its contents are unspecified, so a
     * backend may hand back recycled memory without zeroing it first (the zero fill cost the W3
     * step 2-4 %, all on the calling thread). Named after C++'s {@code make_unique_for_overwrite}.
     * The default is {@link #allocate}.
     */
    default Storage allocateForOverwrite(DType dtype, int n) {
        return allocate(dtype, n);
    }

    /**
     * Hands back a storage that nothing references any more (the backward pass gives back the
     * gradients it has consumed); a backend may reuse its memory for a later {@link #allocate},
     * which still returns zeros. The caller must not touch the storage afterwards. The default
     * keeps nothing.
     */
    default void recycle(Storage s) {
    }

    /** A storage holding a copy of {@code values} rounded to {@code dtype}. */
    Storage upload(DType dtype, double[] values);

    /** A storage holding a copy of {@code values} (F32). */
    Storage upload(float[] values);

    /** A copy of the whole storage, widened to double. */
    double[] download(Storage s);

    /** A copy of the whole storage as floats (rounding F64). */
    float[] downloadFloats(Storage s);

    /** One element, widened to double. */
    double get(Storage s, int index);

    /** Sets one element (used by optimizers and tests; kernels are the fast path). */
    void set(Storage s, int index, double value);

    /** {@code out[i] = value}. */
    void fill(Storage out, double value);

    /** {@code out[i] = in[i]} converting between dtypes (round to nearest). */
    void cast(Storage in, Storage out);

    /** {@code out[i] = f(in[i]; param)} over {@code out.size()} elements. */
    void unary(UnaryKernel f, double param, Storage in, Storage out);

    /** {@code out[j] = f(a[plan.offset(0, j)], b[plan.offset(1, j)])}. */
    void binary(BinaryKernel f, Storage a, Storage b, Storage out, ElementwisePlan plan);

    /** {@code out[j] = cond[..] != 0 ? a[..] : b[..]}, operands addressed by a three-input plan. */
    void where(Storage cond, Storage a, Storage b, Storage out, ElementwisePlan plan);

    /** Reduces {@code in} into {@code out} as the plan describes. */
    void reduce(ReduceKernel kind, Storage in, Storage out, ReducePlan plan);

    /**
     * Copies the elements of view {@code from} of {@code src} into view {@code to} of {@code dst}
     * (same dims). With {@code accumulate}, adds into dst instead; views written with accumulate
     * may alias (stride-0) and are then summed in row-major order.
     */
    void copy(Storage src, StridedView from, Storage dst, StridedView to, boolean accumulate);

    /**
     * Gather along an axis: {@code out[o, j, i] = src[o, index[j], i]} for a source viewed as
     * {@code [outer, axisLen, inner]} and an output {@code [outer, index.length, inner]}.
     */
    void indexSelect(Storage src, int outer, int axisLen, int inner, int[] index, Storage out);

    /**
     * The adjoint of {@link #indexSelect}: {@code dst[o, index[j], i] += src[o, j, i]}, accumulated
     * in increasing j (deterministic when indices repeat).
     */
    void indexAdd(Storage src, int outer, int axisLen, int inner, int[] index, Storage dst);

    /** {@code C = op(A) op(B)} for every batch of the plan (C is overwritten). */
    void matmul(Storage a, Storage b, Storage c, MatmulPlan plan);

    /**
     * Unfold (im2col): input {@code [batch, C, H, W]} to columns
     * {@code [batch, C*kh*kw, outH*outW]}, zero where the window reaches into padding.
     */
    void im2col(Storage input, Storage cols, ConvGeometry g);

    /** Fold (col2im), the adjoint of {@link #im2col}: overlapping windows are summed. */
    void col2im(Storage cols, Storage output, ConvGeometry g);

    /**
     * Convolution without groups: {@code out[b, o, l] = bias[o] + sum_k w[o, k] cols_b[k, l]}, where
     * {@code cols} is the im2col of {@code input [batch, C, H, W]} for {@code g}, {@code w} is
     * {@code [O, C kh kw]}, {@code bias} is {@code [O]} or null (none), and {@code out} is
     * {@code [batch, O, outH outW]} (overwritten). The default forms the column matrix, multiplies
     * and adds the bias; a backend may fuse these so that the column matrix is never stored.
     */
    default void conv2d(Storage input, Storage weight, Storage bias, Storage out, ConvGeometry g, int outChannels) {
        int k = g.colRows();
        int l = g.colCols();
        Storage cols = allocate(input.dtype(), g.batch() * k * l);
        im2col(input, cols, g);
        int[] shared = new int[g.batch()];
        int[] perImage = new int[g.batch()];
        for (int b = 0; b < g.batch(); b++) {
            perImage[b] = b * k * l;
        }
        MatmulPlan plan = new MatmulPlan(g.batch(), outChannels, l, k, false, false, shared, perImage);
        if (bias == null) {
            matmul(weight, cols, out, plan);
            return;
        }
        Storage product = allocate(input.dtype(), g.batch() * outChannels * l);
        matmul(weight, cols, product, plan);
        binary(BinaryKernel.ADD, product, bias, out, ElementwisePlan.of(new int[] {g.batch(), outChannels, l},
                new int[] {outChannels * l, l, 1}, new int[] {0, 1, 0}));
    }

    /**
     * The weight gradient of {@link #conv2d}: {@code dw[o, k] = sum_b sum_l gradOut[b, o, l] cols_b[k, l]}
     * (overwritten), {@code gradOut} being {@code [batch, O, outH outW]}. The default forms the
     * column matrix, moves the batch next to the positions in both operands and multiplies once
     * over the inner dimension {@code batch outH outW}.
     */
    default void conv2dWeightGrad(Storage input, Storage gradOut, Storage weightGrad, ConvGeometry g, int outChannels) {
        int k = g.colRows();
        int l = g.colCols();
        int nb = g.batch();
        Storage cols = allocate(input.dtype(), nb * k * l);
        im2col(input, cols, g);
        Storage colsT = allocate(input.dtype(), nb * k * l);
        copy(cols, new StridedView(0, new int[] {k, nb, l}, new int[] {l, k * l, 1}),
                colsT, StridedView.contiguous(new int[] {k, nb, l}), false);
        Storage gT = allocate(gradOut.dtype(), nb * outChannels * l);
        copy(gradOut, new StridedView(0, new int[] {outChannels, nb, l}, new int[] {l, outChannels * l, 1}),
                gT, StridedView.contiguous(new int[] {outChannels, nb, l}), false);
        matmul(gT, colsT, weightGrad, MatmulPlan.single(outChannels, k, nb * l, false, true));
    }

    /**
     * Max pooling's argmax: {@code indices[p, oy, ox]} (an output of {@code g.planes() x g.windows()}
     * elements, in the input's dtype) receives the flat index {@code iy * width + ix} within plane p
     * of window {@code (oy, ox)}'s maximum by {@link PoolGeometry#argmax}'s rule, PyTorch's; the
     * index is an integer, exact in F32 for planes of up to 2^24 elements. {@code input} is
     * {@code [planes, height, width]}. The default downloads the input, scans it on the host and
     * uploads the indices (one round trip, for a backend without a kernel of its own).
     */
    default void maxPool2dIndices(Storage input, Storage indices, PoolGeometry g) {
        double[] x = download(input);
        int oh = g.outHeight(), ow = g.outWidth(), plane = g.planeSize();
        double[] idx = new double[g.planes() * oh * ow];
        for (int p = 0; p < g.planes(); p++) {
            int base = p * plane;
            IntToDoubleFunction value = i -> x[base + i];
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    idx[(p * oh + oy) * ow + ox] = g.argmax(value, oy, ox);
                }
            }
        }
        copyFromHost(idx, indices);
    }

    /**
     * Gather within planes: {@code out[p, l] = src[p, index[p, l]]} for {@code src} viewed as
     * {@code [planes, planeSize]} and {@code index}, {@code out} as {@code [planes, n]}, the indices
     * stored as integer values of the data's dtype, each in {@code [0, planeSize)}. The default
     * round-trips through the host.
     */
    default void gatherPlanes(Storage src, Storage index, Storage out, int planes, int planeSize) {
        double[] s = download(src);
        double[] idx = download(index);
        double[] o = new double[idx.length];
        int n = planes == 0 ? 0 : idx.length / planes;
        for (int p = 0; p < planes; p++) {
            for (int l = 0; l < n; l++) {
                o[p * n + l] = s[p * planeSize + planeIndex(idx[p * n + l], planeSize)];
            }
        }
        copyFromHost(o, out);
    }

    /**
     * The adjoint of {@link #gatherPlanes}: {@code dst[p, index[p, l]] += src[p, l]}, accumulated in
     * increasing l within each plane (deterministic where indices repeat), {@code dst} being
     * {@code [planes, planeSize]}. The default round-trips through the host.
     */
    default void scatterAddPlanes(Storage src, Storage index, Storage dst, int planes, int planeSize) {
        double[] s = download(src);
        double[] idx = download(index);
        double[] d = download(dst);
        int n = planes == 0 ? 0 : idx.length / planes;
        for (int p = 0; p < planes; p++) {
            for (int l = 0; l < n; l++) {
                int at = p * planeSize + planeIndex(idx[p * n + l], planeSize);
                d[at] = dst.dtype().round(d[at] + s[p * n + l]);
            }
        }
        copyFromHost(d, dst);
    }

    /** A stored plane index as an int, refused unless it is an integer in {@code [0, planeSize)}. */
    private static int planeIndex(double stored, int planeSize) {
        int i = (int) stored;
        if (i != stored || i < 0 || i >= planeSize) {
            throw new IndexOutOfBoundsException("plane index " + stored + " is not an integer in [0, " + planeSize + ")");
        }
        return i;
    }

    /** Overwrites {@code dst} with {@code values} (rounded to its dtype) through an uploaded copy. */
    private void copyFromHost(double[] values, Storage dst) {
        Storage tmp = upload(dst.dtype(), values);
        StridedView all = StridedView.contiguous(new int[] {values.length});
        copy(tmp, all, dst, all, false);
    }

    /**
     * Group normalisation forward: per group {@code mean}, {@code rstd = 1/sqrt(var + eps)} (biased
     * variance) and {@code y = (x - mean) rstd w[c] + b[c]}, c the element's channel; {@code weight}
     * and {@code bias} ({@code [channels]}) may be null (1 and 0). The default composes this backend's
     * reduce and elementwise kernels; a backend may fuse them.
     */
    default void groupNorm(Storage x, Storage weight, Storage bias, Storage y, Storage mean, Storage rstd,
                           GroupNormPlan p) {
        DType dt = x.dtype();
        int ng = p.count(), m = p.groupSize();
        ElementwisePlan perGroup = ElementwisePlan.of(new int[] {ng, m}, new int[] {m, 1}, new int[] {1, 0});
        ReducePlan overGroup = ReducePlan.of(new int[] {ng, m}, new boolean[] {false, true});
        Storage sum = allocate(dt, ng);
        reduce(ReduceKernel.SUM, x, sum, overGroup);
        unary(UnaryKernel.SCALE, 1.0 / m, sum, mean);
        Storage centred = allocate(dt, p.numel());
        binary(BinaryKernel.SUB, x, mean, centred, perGroup);
        Storage square = allocate(dt, p.numel());
        binary(BinaryKernel.MUL, centred, centred, square, ElementwisePlan.of(new int[] {p.numel()}, new int[] {1}, new int[] {1}));
        reduce(ReduceKernel.SUM, square, sum, overGroup);
        Storage var = allocate(dt, ng);
        unary(UnaryKernel.SCALE, 1.0 / m, sum, var);
        unary(UnaryKernel.SHIFT, p.eps(), var, sum);
        unary(UnaryKernel.RSQRT, 0.0, sum, rstd);
        if (weight == null && bias == null) {
            binary(BinaryKernel.MUL, centred, rstd, y, perGroup);
            return;
        }
        binary(BinaryKernel.MUL, centred, rstd, square, perGroup);
        int[] dims = {p.batch(), p.channels(), p.spatial()};
        int[] dense = {p.channels() * p.spatial(), p.spatial(), 1};
        int[] channel = {0, 1, 0};
        if (weight != null && bias != null) {
            binary(BinaryKernel.MUL, square, weight, centred, ElementwisePlan.of(dims, dense, channel));
            binary(BinaryKernel.ADD, centred, bias, y, ElementwisePlan.of(dims, dense, channel));
        } else {
            binary(weight != null ? BinaryKernel.MUL : BinaryKernel.ADD, square, weight != null ? weight : bias, y,
                    ElementwisePlan.of(dims, dense, channel));
        }
    }

    /**
     * Group normalisation backward, with {@code xhat = (x - mean) rstd} and {@code dxhat = g w[c]}:
     * {@code dx = rstd (dxhat - mean_group(dxhat) - xhat mean_group(dxhat xhat))},
     * {@code dw[c] = sum_{b, s} g xhat}, {@code db[c] = sum_{b, s} g}. Any of {@code gradIn},
     * {@code gradWeight}, {@code gradBias} may be null (not wanted); {@code weight} null means 1.
     */
    default void groupNormBackward(Storage x, Storage weight, Storage mean, Storage rstd, Storage gradOut,
                                   Storage gradIn, Storage gradWeight, Storage gradBias, GroupNormPlan p) {
        DType dt = x.dtype();
        int n = p.numel(), ng = p.count(), m = p.groupSize();
        int[] all = {n};
        int[] one = {1};
        ElementwisePlan same = ElementwisePlan.of(all, one, one);
        ElementwisePlan perGroup = ElementwisePlan.of(new int[] {ng, m}, new int[] {m, 1}, new int[] {1, 0});
        ReducePlan overGroup = ReducePlan.of(new int[] {ng, m}, new boolean[] {false, true});
        ReducePlan perChannel = ReducePlan.of(new int[] {p.batch(), p.channels(), p.spatial()}, new boolean[] {true, false, true});
        Storage t = allocate(dt, n);
        Storage xhat = allocate(dt, n);
        binary(BinaryKernel.SUB, x, mean, t, perGroup);
        binary(BinaryKernel.MUL, t, rstd, xhat, perGroup);
        if (gradWeight != null) {
            binary(BinaryKernel.MUL, gradOut, xhat, t, same);
            reduce(ReduceKernel.SUM, t, gradWeight, perChannel);
        }
        if (gradBias != null) {
            reduce(ReduceKernel.SUM, gradOut, gradBias, perChannel);
        }
        if (gradIn == null) {
            return;
        }
        Storage dxhat = allocate(dt, n);
        if (weight == null) {
            copy(gradOut, StridedView.contiguous(all), dxhat, StridedView.contiguous(all), false);
        } else {
            binary(BinaryKernel.MUL, gradOut, weight, dxhat, ElementwisePlan.of(
                    new int[] {p.batch(), p.channels(), p.spatial()}, new int[] {p.channels() * p.spatial(), p.spatial(), 1},
                    new int[] {0, 1, 0}));
        }
        Storage s1 = allocate(dt, ng);
        Storage s2 = allocate(dt, ng);
        Storage mean1 = allocate(dt, ng);
        Storage mean2 = allocate(dt, ng);
        reduce(ReduceKernel.SUM, dxhat, s1, overGroup);
        unary(UnaryKernel.SCALE, 1.0 / m, s1, mean1);
        binary(BinaryKernel.MUL, dxhat, xhat, t, same);
        reduce(ReduceKernel.SUM, t, s2, overGroup);
        unary(UnaryKernel.SCALE, 1.0 / m, s2, mean2);
        Storage u = allocate(dt, n);
        binary(BinaryKernel.MUL, xhat, mean2, t, perGroup);             // xhat mean(dxhat xhat)
        binary(BinaryKernel.SUB, dxhat, mean1, u, perGroup);            // dxhat - mean(dxhat)
        binary(BinaryKernel.SUB, u, t, dxhat, same);
        binary(BinaryKernel.MUL, dxhat, rstd, gradIn, perGroup);
    }

    /**
     * SiLU's backward: {@code gradIn = gradOut silu'(x)} with {@code silu'(x) = s (1 + x (1 - s))},
     * s the sigmoid; all three of one size. The default is the {@code SILU_GRAD} kernel and a
     * product, so a fused override must round {@code silu'} to the dtype before the product.
     */
    default void siluBackward(Storage x, Storage gradOut, Storage gradIn) {
        int n = x.size();
        Storage d = allocate(x.dtype(), n);
        unary(UnaryKernel.SILU_GRAD, 0.0, x, d);
        binary(BinaryKernel.MUL, gradOut, d, gradIn, ElementwisePlan.of(new int[] {n}, new int[] {1}, new int[] {1}));
    }

    /**
     * One Adam step in place ({@link AdamPlan}): {@code param}, {@code expAvg} (m) and
     * {@code expAvgSq} (v) are overwritten, {@code grad} is read; all four have the same dtype and
     * size and the three written are distinct. The default composes this backend's elementwise
     * kernels in the order of the tensor expression {@code p - (m / (sqrt(v) / c2 + eps)) s},
     * each product with a scalar a {@code SCALE}, the division by {@code c2} a {@code DIV} by a
     * stored constant, so a fused override can reproduce it bit for bit.
     */
    default void adamStep(Storage param, Storage grad, Storage expAvg, Storage expAvgSq, AdamPlan p) {
        DType dt = param.dtype();
        int n = param.size();
        ElementwisePlan same = ElementwisePlan.of(new int[] {n}, new int[] {1}, new int[] {1});
        StridedView all = StridedView.contiguous(new int[] {n});
        Storage a = allocate(dt, n);
        Storage b = allocate(dt, n);
        Storage g = grad;
        if (p.weightDecay() != 0) {
            if (p.decoupled()) {
                unary(UnaryKernel.SCALE, 1 - p.lr() * p.weightDecay(), param, a);
                copy(a, all, param, all, false);
            } else {
                g = allocate(dt, n);
                unary(UnaryKernel.SCALE, p.weightDecay(), param, a);
                binary(BinaryKernel.ADD, grad, a, g, same);
            }
        }
        unary(UnaryKernel.SCALE, p.beta1(), expAvg, a);
        unary(UnaryKernel.SCALE, 1 - p.beta1(), g, b);
        binary(BinaryKernel.ADD, a, b, expAvg, same);
        binary(BinaryKernel.MUL, g, g, a, same);
        unary(UnaryKernel.SCALE, 1 - p.beta2(), a, b);
        unary(UnaryKernel.SCALE, p.beta2(), expAvgSq, a);
        binary(BinaryKernel.ADD, a, b, expAvgSq, same);
        unary(UnaryKernel.SQRT, 0.0, expAvgSq, a);
        Storage c2 = allocate(dt, 1);
        fill(c2, p.bias2Sqrt());
        binary(BinaryKernel.DIV, a, c2, b, ElementwisePlan.of(new int[] {n}, new int[] {1}, new int[] {0}));
        unary(UnaryKernel.SHIFT, p.eps(), b, a);                           // the denominator
        binary(BinaryKernel.DIV, expAvg, a, b, same);
        unary(UnaryKernel.SCALE, p.stepSize(), b, a);
        binary(BinaryKernel.SUB, param, a, b, same);
        copy(b, all, param, all, false);
    }

    /**
     * Fills {@code out} from the Philox-4x32-10 stream of {@code key}, element i taking counter
     * position {@code offset + i} as defined by {@code dev.distillery.autograd.random.PhiloxStream},
     * so every backend and thread count draws the same numbers.
     */
    void random(RandomKind kind, long key, long offset, Storage out);

    /** Threads this backend computes with (1 for sequential backends). */
    default int threads() {
        return 1;
    }
}
