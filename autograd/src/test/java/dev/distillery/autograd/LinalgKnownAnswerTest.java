package dev.distillery.autograd;

import static dev.distillery.autograd.Loops.assertClose;
import static dev.distillery.autograd.Loops.broadcastSource;
import static dev.distillery.autograd.Loops.constant;
import static dev.distillery.autograd.Loops.leaf;
import static dev.distillery.autograd.Loops.numel;
import static dev.distillery.autograd.Loops.unflatten;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values and first-order gradients of matmul and conv2d against plain loops, on the layouts each
 * rule treats separately: the four transpose combinations, batch dimensions broadcast from either
 * side, a 2-D left operand shared by a batch (the one-product gradient), grouped, strided and
 * padded convolutions and the two ways of computing the input gradient. The gradchecks of
 * {@link OpCatalog} compare a rule with its own forward; these compare both with the definition.
 * Which of two equal-valued routes a rule takes is a speed contract stated in its Javadoc, pinned
 * through {@link Graph#listener}.
 */
@ExtendWith(ScalarBackendExtension.class)
class LinalgKnownAnswerTest {
    private static final double TOL = 1e-13;

    // ------------------------------------------------------------------ matmul

    static Stream<Arguments> matmulLayouts() {
        return Stream.of(
                Arguments.of(new int[] {3, 4}, new int[] {4, 2}, false, false),
                Arguments.of(new int[] {4, 3}, new int[] {4, 2}, true, false),
                Arguments.of(new int[] {3, 4}, new int[] {2, 4}, false, true),
                Arguments.of(new int[] {4, 3}, new int[] {2, 4}, true, true),
                // batch dimensions broadcast from both sides: [2, 1] with [3] is [2, 3]
                Arguments.of(new int[] {2, 1, 3, 4}, new int[] {3, 4, 5}, false, false),
                Arguments.of(new int[] {2, 1, 4, 3}, new int[] {3, 4, 5}, true, false),
                Arguments.of(new int[] {2, 1, 3, 4}, new int[] {3, 5, 4}, false, true),
                Arguments.of(new int[] {1, 4, 3}, new int[] {2, 5, 4}, true, true),
                Arguments.of(new int[] {3, 1, 2, 3}, new int[] {1, 2, 3, 2}, false, false),
                // equal batches, and a batched left operand against a shared right one
                Arguments.of(new int[] {2, 3, 4}, new int[] {2, 4, 5}, false, false),
                Arguments.of(new int[] {3, 4, 6}, new int[] {6, 2}, false, false),
                // a 2-D left operand shared by a batch of thin right ones (4 * 6 > 2 * (4 + 6)),
                // in all four transpose combinations: only the plain one takes the one-product gradient
                Arguments.of(new int[] {4, 6}, new int[] {3, 6, 2}, false, false),
                Arguments.of(new int[] {6, 4}, new int[] {3, 6, 2}, true, false),
                Arguments.of(new int[] {4, 6}, new int[] {3, 2, 6}, false, true),
                Arguments.of(new int[] {6, 4}, new int[] {3, 2, 6}, true, true),
                // square operands, where a wrong transpose keeps the shapes
                Arguments.of(new int[] {3, 3}, new int[] {2, 3, 3}, true, false),
                Arguments.of(new int[] {2, 3, 3}, new int[] {3, 3}, false, true));
    }

    @ParameterizedTest
    @MethodSource("matmulLayouts")
    void matmulValueAndGradientsMatchLoops(int[] aDims, int[] bDims, boolean ta, boolean tb) {
        for (int which = 0; which < 3; which++) {          // gradients of a and b, of a only, of b only
            Tensor a = which == 2 ? constant(0.3, aDims) : leaf(0.3, aDims);
            Tensor b = which == 1 ? constant(-1.1, bDims) : leaf(-1.1, bDims);
            MatmulRef ref = matmulRef(a.toDoubleArray(), aDims, b.toDoubleArray(), bDims, ta, tb);
            Tensor y = a.matmul(b, ta, tb);
            assertArrayEquals(ref.outDims, y.shape().dims(), "shape");
            assertClose("value", ref.out, y, TOL);
            Tensor r = constant(2.2, ref.outDims);
            List<Tensor> wrt = which == 0 ? List.of(a, b) : which == 1 ? List.of(a) : List.of(b);
            List<Tensor> g = Autograd.grad(List.of(y.mul(r).sum()), wrt, null, false);
            MatmulRef gref = matmulRef(a.toDoubleArray(), aDims, b.toDoubleArray(), bDims, ta, tb, r.toDoubleArray());
            if (which != 2) {
                assertArrayEquals(aDims, g.get(0).shape().dims(), "shape of dA");
                assertClose("dA", gref.da, g.get(0), TOL);
            }
            if (which != 1) {
                Tensor gb = g.get(which == 0 ? 1 : 0);
                assertArrayEquals(bDims, gb.shape().dims(), "shape of dB");
                assertClose("dB", gref.db, gb, TOL);
            }
        }
    }

    @Test
    void sharedLeftGradientIsOneProductExactlyWhenTheStackIsLarger() {
        // m k > n (m + k): 4 * 6 = 24 > 2 * 10 = 20 takes the one product (a permute of g and B);
        // 4 * 4 = 16 = 2 * 8 does not, nor does a transposed or batched left operand
        assertTrue(backwardPrimitives(new int[] {4, 6}, new int[] {3, 6, 2}, false, false).contains(Primitive.PERMUTE));
        assertFalse(backwardPrimitives(new int[] {4, 4}, new int[] {3, 4, 2}, false, false).contains(Primitive.PERMUTE));
        assertTrue(backwardPrimitives(new int[] {4, 4}, new int[] {3, 4, 1}, false, false).contains(Primitive.PERMUTE));
        assertFalse(backwardPrimitives(new int[] {6, 4}, new int[] {3, 6, 2}, true, false).contains(Primitive.PERMUTE));
        assertFalse(backwardPrimitives(new int[] {4, 6}, new int[] {3, 2, 6}, false, true).contains(Primitive.PERMUTE));
        assertFalse(backwardPrimitives(new int[] {1, 4, 6}, new int[] {3, 6, 2}, false, false).contains(Primitive.PERMUTE));
        assertFalse(backwardPrimitives(new int[] {4, 6}, new int[] {1, 3, 6, 2}, false, false).contains(Primitive.PERMUTE));
        // and its values are those of the loops at the boundary too
        matmulValueAndGradientsMatchLoops(new int[] {4, 4}, new int[] {3, 4, 2}, false, false);
        matmulValueAndGradientsMatchLoops(new int[] {4, 4}, new int[] {3, 4, 1}, false, false);
    }

    /** The primitives recorded while computing dA of {@code sum(A B)} (forward excluded). */
    private static Set<Primitive> backwardPrimitives(int[] aDims, int[] bDims, boolean ta, boolean tb) {
        Tensor a = leaf(0.3, aDims);
        Tensor b = constant(-1.1, bDims);
        Tensor loss = a.matmul(b, ta, tb).sum();
        Set<Primitive> seen = EnumSet.noneOf(Primitive.class);
        Graph.listener = seen::add;
        try {
            Autograd.grad(List.of(loss), List.of(a), null, false);
        } finally {
            Graph.listener = null;
        }
        return seen;
    }

    @Test
    void matmulRejectsTransposedVectorsAndMismatchedInnerDimensionsByName() {
        // vectors follow torch.matmul's rank-1 rules (MatmulVectorsTest); only with a transpose flag,
        // which has no meaning for a vector, are they refused
        Tensor v = Tensor.zeros(DType.F64, 3);
        Tensor m = Tensor.zeros(DType.F64, 3, 3);
        IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class, () -> v.matmul(m, true, false));
        assertTrue(e1.getMessage().contains("rank >= 2 when transposed") && e1.getMessage().contains("[3]")
                && e1.getMessage().endsWith("; use unsqueeze for vectors"), e1.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> m.matmul(v, false, true));
        assertTrue(e2.getMessage().contains("rank >= 2 when transposed")
                && e2.getMessage().endsWith("; use unsqueeze for vectors"), e2.getMessage());
        IllegalArgumentException e7 = assertThrows(IllegalArgumentException.class,
                () -> v.matmul(Tensor.zeros(DType.F64, 2, 3)));
        // a scalar has no rank-1 reading: refused, and without the transposed-vector advice
        IllegalArgumentException e8 = assertThrows(IllegalArgumentException.class,
                () -> Tensor.scalar(2.0, DType.F64).matmul(m));
        assertEquals("matmul: operands need rank >= 2, got [] and [3, 3]", e8.getMessage());
        // named with the caller's shapes, the vector read as the row [1, 3]
        assertTrue(e7.getMessage().contains("inner dimensions differ: [3] x [2, 3] (3 vs 2)"), e7.getMessage());
        Tensor a = Tensor.zeros(DType.F64, 2, 3);
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> a.matmul(Tensor.zeros(DType.F64, 3, 2), true, false));
        assertTrue(e3.getMessage().contains("[2, 3]^T x [3, 2] (2 vs 3)"), e3.getMessage());
        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class, () -> a.matmul(a, false, false));
        assertTrue(e4.getMessage().contains("[2, 3] x [2, 3] (3 vs 2)"), e4.getMessage());
        IllegalArgumentException e6 = assertThrows(IllegalArgumentException.class,
                () -> a.matmul(Tensor.zeros(DType.F64, 2, 2), false, true));
        assertTrue(e6.getMessage().contains("[2, 3] x [2, 2]^T (3 vs 2)"), e6.getMessage());
        IllegalArgumentException e5 = assertThrows(IllegalArgumentException.class,
                () -> a.matmul(Tensor.zeros(DType.F32, 3, 2)));
        assertTrue(e5.getMessage().startsWith("matmul: dtype mismatch"), e5.getMessage());
        // rank 2 is enough on both sides
        assertEquals(4.0, Tensor.of(new double[] {2}, 1, 1).matmul(Tensor.of(new double[] {2}, 1, 1)).item(), 0.0);
    }

    record MatmulRef(int[] outDims, double[] out, double[] da, double[] db) {
    }

    private static MatmulRef matmulRef(double[] av, int[] aDims, double[] bv, int[] bDims, boolean ta, boolean tb) {
        return matmulRef(av, aDims, bv, bDims, ta, tb, null);
    }

    /** C = op(A) op(B) per broadcast batch; with upstream r, dA and dB of {@code sum(r C)} by the product rule per term. */
    private static MatmulRef matmulRef(double[] av, int[] aDims, double[] bv, int[] bDims, boolean ta, boolean tb,
                                       double[] r) {
        int ar = aDims[aDims.length - 2], ac = aDims[aDims.length - 1];
        int br = bDims[bDims.length - 2], bc = bDims[bDims.length - 1];
        int m = ta ? ac : ar, k = ta ? ar : ac, n = tb ? br : bc;
        int[] aBatch = Arrays.copyOf(aDims, aDims.length - 2);
        int[] bBatch = Arrays.copyOf(bDims, bDims.length - 2);
        int rank = Math.max(aBatch.length, bBatch.length);
        int[] batch = new int[rank];
        for (int d = 0; d < rank; d++) {
            int x = d - (rank - aBatch.length) >= 0 ? aBatch[d - (rank - aBatch.length)] : 1;
            int y = d - (rank - bBatch.length) >= 0 ? bBatch[d - (rank - bBatch.length)] : 1;
            batch[d] = Math.max(x, y);
        }
        int[] outDims = Arrays.copyOf(batch, rank + 2);
        outDims[rank] = m;
        outDims[rank + 1] = n;
        double[] out = new double[numel(outDims)];
        double[] da = new double[av.length];
        double[] db = new double[bv.length];
        for (int bi = 0; bi < numel(batch); bi++) {
            int[] bIdx = unflatten(bi, batch);
            int aOff = broadcastSource(bIdx, aBatch) * ar * ac;
            int bOff = broadcastSource(bIdx, bBatch) * br * bc;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int o = (bi * m + i) * n + j;
                    for (int p = 0; p < k; p++) {
                        int ai = aOff + (ta ? p * ac + i : i * ac + p);
                        int bj = bOff + (tb ? j * bc + p : p * bc + j);
                        out[o] += av[ai] * bv[bj];
                        if (r != null) {
                            da[ai] += r[o] * bv[bj];
                            db[bj] += r[o] * av[ai];
                        }
                    }
                }
            }
        }
        return new MatmulRef(outDims, out, da, db);
    }

    // ------------------------------------------------------------------ conv2d

    /** (B, C, H, W, O, kh, kw, stride, padding, groups, bias). */
    static Stream<Arguments> convolutions() {
        return Stream.of(
                Arguments.of(2, 2, 5, 4, 3, 3, 2, 1, 1, 1, true),      // stride 1, p <= k - 1: input grad is a convolution
                Arguments.of(1, 3, 4, 5, 2, 2, 3, 1, 0, 1, false),     // valid, non-square kernel
                Arguments.of(1, 2, 4, 4, 2, 3, 3, 1, 2, 1, true),      // p = k - 1, the boundary of the fast path
                Arguments.of(2, 2, 5, 5, 3, 3, 3, 2, 1, 1, true),      // stride 2: fold of W^T g
                Arguments.of(1, 2, 3, 4, 2, 1, 1, 1, 1, 1, false),     // p > k - 1 in both directions: fold
                Arguments.of(1, 2, 4, 3, 2, 3, 1, 1, 1, 1, true),      // p <= kh - 1 but p > kw - 1: fold
                Arguments.of(1, 2, 3, 4, 2, 1, 3, 1, 1, 1, false),     // p > kh - 1 but p <= kw - 1: fold
                Arguments.of(2, 4, 4, 5, 6, 3, 2, 1, 1, 2, true),      // groups
                Arguments.of(1, 6, 5, 5, 3, 3, 3, 2, 1, 3, false),     // groups, stride 2, one output channel per group
                Arguments.of(2, 4, 3, 3, 4, 2, 2, 1, 0, 4, true));     // depthwise
    }

    @ParameterizedTest
    @MethodSource("convolutions")
    void conv2dValueAndGradientsMatchLoops(int bsz, int c, int h, int w, int o, int kh, int kw, int stride, int pad,
                                           int groups, boolean withBias) {
        int[] xDims = {bsz, c, h, w};
        int[] wDims = {o, c / groups, kh, kw};
        Tensor x = leaf(0.7, xDims);
        Tensor wt = leaf(-0.4, wDims);
        Tensor bias = withBias ? leaf(1.9, o) : null;
        ConvRef ref = convRef(x.toDoubleArray(), xDims, wt.toDoubleArray(), wDims,
                bias == null ? null : bias.toDoubleArray(), stride, pad, groups, null);
        Tensor y = x.conv2d(wt, bias, stride, pad, groups);
        assertArrayEquals(ref.outDims, y.shape().dims(), "shape");
        assertClose("value", ref.out, y, TOL);
        Tensor r = constant(2.6, ref.outDims);
        List<Tensor> wrt = bias == null ? List.of(x, wt) : List.of(x, wt, bias);
        List<Tensor> g = Autograd.grad(List.of(y.mul(r).sum()), wrt, null, false);
        ConvRef gref = convRef(x.toDoubleArray(), xDims, wt.toDoubleArray(), wDims,
                bias == null ? null : bias.toDoubleArray(), stride, pad, groups, r.toDoubleArray());
        assertClose("dx", gref.dx, g.get(0), TOL);
        assertClose("dw", gref.dw, g.get(1), TOL);
        if (bias != null) {
            assertClose("dbias", gref.db, g.get(2), TOL);
        }
        // each operand alone: the others' rules must not be needed, and give the same values
        assertClose("dx alone", gref.dx, Autograd.grad(List.of(x.conv2d(wt.detach(), bias == null ? null
                : bias.detach(), stride, pad, groups).mul(r).sum()), List.of(x), null, false).get(0), TOL);
        assertClose("dw alone", gref.dw, Autograd.grad(List.of(x.detach().conv2d(wt, bias == null ? null
                : bias.detach(), stride, pad, groups).mul(r).sum()), List.of(wt), null, false).get(0), TOL);
    }

    @Test
    void conv2dInputGradientIsAConvolutionExactlyOnTheFastPath() {
        // stride 1 with p <= k - 1 in both directions: a convolution with the flipped kernel (no fold)
        assertTrue(inputGradPrimitives(1, 3, 3, 2).contains(Primitive.CONV2D));
        assertFalse(inputGradPrimitives(1, 3, 3, 2).contains(Primitive.FOLD));
        assertFalse(inputGradPrimitives(2, 3, 3, 1).contains(Primitive.CONV2D));
        assertTrue(inputGradPrimitives(2, 3, 3, 1).contains(Primitive.FOLD));
        assertTrue(inputGradPrimitives(1, 3, 1, 1).contains(Primitive.FOLD));
        assertTrue(inputGradPrimitives(1, 1, 3, 1).contains(Primitive.FOLD));
        assertTrue(inputGradPrimitives(1, 2, 2, 0).contains(Primitive.CONV2D));
    }

    private static Set<Primitive> inputGradPrimitives(int stride, int kh, int kw, int pad) {
        Tensor x = leaf(0.7, 1, 2, 5, 5);
        Tensor w = constant(-0.4, 2, 2, kh, kw);
        Tensor loss = x.conv2d(w, null, stride, pad, 1).sum();
        Set<Primitive> seen = EnumSet.noneOf(Primitive.class);
        Graph.listener = seen::add;
        try {
            Autograd.grad(List.of(loss), List.of(x), null, false);
        } finally {
            Graph.listener = null;
        }
        return seen;
    }

    @Test
    void conv2dSecondOrderMixedGradientMatchesLoops() {
        // d/dw <dL/dx, v> for L = <r, conv(x, w)>: dL/dx is bilinear in (r, w), so this is
        // dx-formula with r and v swapped in roles: sum over positions of r * v(shifted)
        int[] xDims = {1, 2, 4, 4};
        int[] wDims = {3, 2, 3, 3};
        for (int stride : new int[] {1, 2}) {
            Tensor x = leaf(0.7, xDims);
            Tensor w = leaf(-0.4, wDims);
            Tensor y = x.conv2d(w, null, stride, 1, 1);
            Tensor r = constant(2.6, y.shape().dims());
            Tensor v = constant(-3.3, xDims);
            Tensor dx = Autograd.grad(List.of(y.mul(r).sum()), List.of(x), null, true).get(0);
            Tensor dw = Autograd.grad(List.of(dx.mul(v).sum()), List.of(w), null, false).get(0);
            // <dL/dx, v> = <r, conv(v, w)>, so its gradient in w is dw of conv at input v with upstream r
            ConvRef ref = convRef(v.toDoubleArray(), xDims, w.toDoubleArray(), wDims, null, stride, 1, 1,
                    r.toDoubleArray());
            assertClose("d/dw <dx, v>, stride " + stride, ref.dw, dw, TOL);
            Tensor dw1 = Autograd.grad(List.of(y.mul(r).sum()), List.of(w), null, true).get(0);
            Tensor u = constant(1.4, wDims);
            Tensor dxx = Autograd.grad(List.of(dw1.mul(u).sum()), List.of(x), null, false).get(0);
            // <dL/dw, u> = <r, conv(x, u)>, whose gradient in x is dx of conv with weight u
            ConvRef ref2 = convRef(x.toDoubleArray(), xDims, u.toDoubleArray(), wDims, null, stride, 1, 1,
                    r.toDoubleArray());
            assertClose("d/dx <dw, u>, stride " + stride, ref2.dx, dxx, TOL);
            // the upstream itself differentiable: d/dr <dL/dw, u> = conv(x, u), d/dr <dL/dx, v> = conv(v, w)
            Tensor rl = r.detach().requiresGrad(true);
            Tensor ly = x.conv2d(w, null, stride, 1, 1).mul(rl).sum();
            Tensor dwr = Autograd.grad(List.of(ly), List.of(w), null, true).get(0);
            Tensor dr = Autograd.grad(List.of(dwr.mul(u).sum()), List.of(rl), null, false).get(0);
            assertClose("d/dr <dw, u>, stride " + stride, ref2.out, dr, TOL);
            Tensor ly2 = x.conv2d(w, null, stride, 1, 1).mul(rl).sum();
            Tensor dxr = Autograd.grad(List.of(ly2), List.of(x), null, true).get(0);
            Tensor dr2 = Autograd.grad(List.of(dxr.mul(v).sum()), List.of(rl), null, false).get(0);
            assertClose("d/dr <dx, v>, stride " + stride, ref.out, dr2, TOL);
        }
    }

    @Test
    void conv2dRejectsBadShapesWithTheExpectedWeight() {
        Tensor x = Tensor.zeros(DType.F64, 1, 4, 3, 3);
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> x.conv2d(Tensor.zeros(DType.F64, 2, 3, 1, 1), null, 1, 0, 2));
        assertTrue(two.getMessage().contains("needs weight [O, 2, kh, kw]"), two.getMessage());
        IllegalArgumentException three = assertThrows(IllegalArgumentException.class,
                () -> x.conv2d(Tensor.zeros(DType.F64, 3, 1, 1, 1), null, 1, 0, 3));
        assertTrue(three.getMessage().contains("needs weight [O, C/groups, kh, kw]"), three.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> x.conv2d(Tensor.zeros(DType.F64, 2, 4, 1, 1), null, 1, 0, 0));
        assertTrue(zero.getMessage().contains("needs weight [O, C/groups, kh, kw]"), zero.getMessage());
        IllegalArgumentException oddOut = assertThrows(IllegalArgumentException.class,
                () -> x.conv2d(Tensor.zeros(DType.F64, 3, 2, 1, 1), null, 1, 0, 2));
        assertTrue(oddOut.getMessage().contains("O divisible"), oddOut.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> x.conv2d(Tensor.zeros(DType.F64, 2, 4, 1), null, 1, 0, 1)).getMessage().startsWith("conv2d: input must be"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(DType.F64, 4, 3, 3).conv2d(Tensor.zeros(DType.F64, 2, 4, 1, 1), null, 1, 0, 1))
                .getMessage().startsWith("conv2d: input must be"));
        Tensor w = Tensor.zeros(DType.F64, 2, 4, 1, 1);
        IllegalArgumentException b1 = assertThrows(IllegalArgumentException.class,
                () -> x.conv2d(w, Tensor.zeros(DType.F64, 3), 1, 0, 1));
        assertTrue(b1.getMessage().contains("bias must have shape [2]"), b1.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.conv2d(w, Tensor.zeros(DType.F64, 2, 1), 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> x.conv2d(w, Tensor.zeros(DType.F64, 1, 2), 1, 0, 1));
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> x.conv2d(Tensor.zeros(DType.F32, 2, 4, 1, 1), null, 1, 0, 1));
        assertTrue(mixed.getMessage().startsWith("conv2d: dtype mismatch"), mixed.getMessage());
        IllegalArgumentException mixedBias = assertThrows(IllegalArgumentException.class,
                () -> x.conv2d(w, Tensor.zeros(DType.F32, 2), 1, 0, 1));
        assertTrue(mixedBias.getMessage().startsWith("conv2d: dtype mismatch"), mixedBias.getMessage());
        // the valid neighbours are accepted
        assertArrayEquals(new int[] {1, 2, 3, 3}, x.conv2d(w, Tensor.zeros(DType.F64, 2), 1, 0, 1).shape().dims());
        assertArrayEquals(new int[] {1, 2, 3, 3},
                x.conv2d(Tensor.zeros(DType.F64, 2, 2, 1, 1), null, 1, 0, 2).shape().dims());
    }

    @Test
    void unfoldAvgPoolAndUpsampleMatchLoops() {
        int[] dims = {2, 2, 4, 5};
        Tensor x = leaf(0.65, dims);
        double[] xv = x.toDoubleArray();
        // unfold 2x3, stride 1, padding 1: [B, C kh kw, outH outW] with outH = 5, outW = 5
        Tensor cols = x.unfold(2, 3, 1, 1);
        assertArrayEquals(new int[] {2, 12, 25}, cols.shape().dims());
        double[] expected = new double[2 * 12 * 25];
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 3; j++) {
                        for (int y = 0; y < 5; y++) {
                            for (int z = 0; z < 5; z++) {
                                int yy = y + i - 1, zz = z + j - 1;
                                double v = yy < 0 || yy >= 4 || zz < 0 || zz >= 5 ? 0 : xv[((b * 2 + c) * 4 + yy) * 5 + zz];
                                expected[((b * 12) + (c * 2 + i) * 3 + j) * 25 + y * 5 + z] = v;
                            }
                        }
                    }
                }
            }
        }
        assertClose("unfold", expected, cols, 0.0);
        for (int stride : new int[] {1, 2}) {
            Tensor p = x.avgPool2d(2, stride);
            int oh = (4 - 2) / stride + 1, ow = (5 - 2) / stride + 1;
            assertArrayEquals(new int[] {2, 2, oh, ow}, p.shape().dims());
            double[] avg = new double[2 * 2 * oh * ow];
            for (int bc = 0; bc < 4; bc++) {
                for (int y = 0; y < oh; y++) {
                    for (int z = 0; z < ow; z++) {
                        double s = 0;
                        for (int i = 0; i < 2; i++) {
                            for (int j = 0; j < 2; j++) {
                                s += xv[(bc * 4 + y * stride + i) * 5 + z * stride + j];
                            }
                        }
                        avg[(bc * oh + y) * ow + z] = s / 4;
                    }
                }
            }
            assertClose("avgPool2d stride " + stride, avg, p, TOL);
        }
        Tensor u = x.upsampleNearest2d(2);
        assertArrayEquals(new int[] {2, 2, 8, 10}, u.shape().dims());
        assertEquals(x.get(1, 0, 2, 3), u.get(1, 0, 5, 6), 0.0);
        assertEquals(x.get(1, 0, 2, 3), u.get(1, 0, 4, 7), 0.0);
        assertEquals(x.get(0, 1, 3, 4), u.get(0, 1, 7, 9), 0.0);
        assertEquals(x.get(0, 1, 0, 1), u.get(0, 1, 1, 2), 0.0);
        assertArrayEquals(xv, x.upsampleNearest2d(1).toDoubleArray(), 0.0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> x.upsampleNearest2d(0)).getMessage().contains("scale"));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.F64, 2, 4, 5).upsampleNearest2d(2));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.F64, 2, 4, 5).avgPool2d(2, 2))
                .getMessage().startsWith("avgPool2d: input must be"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.F64, 2, 4, 5).unfold(2, 2, 1, 0))
                .getMessage().startsWith("unfold: input must be"));
    }

    record ConvRef(int[] outDims, double[] out, double[] dx, double[] dw, double[] db) {
    }

    /**
     * PyTorch's conv2d by its definition, {@code out[b, o, y, x] = bias[o] + sum_{c, i, j} w[o, c, i, j]
     * in[b, g(o) C/G + c, y s + i - p, x s + j - p]}, and with upstream r the gradients of {@code sum(r out)}.
     */
    private static ConvRef convRef(double[] in, int[] xDims, double[] w, int[] wDims, double[] bias, int s, int p,
                                   int groups, double[] r) {
        int bsz = xDims[0], c = xDims[1], h = xDims[2], wd = xDims[3];
        int o = wDims[0], cg = wDims[1], kh = wDims[2], kw = wDims[3];
        int oh = (h + 2 * p - kh) / s + 1, ow = (wd + 2 * p - kw) / s + 1;
        int og = o / groups;
        double[] out = new double[bsz * o * oh * ow];
        double[] dx = new double[in.length];
        double[] dw = new double[w.length];
        double[] db = new double[o];
        for (int b = 0; b < bsz; b++) {
            for (int oc = 0; oc < o; oc++) {
                int g = oc / og;
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        int oi = ((b * o + oc) * oh + y) * ow + x;
                        double acc = bias == null ? 0 : bias[oc];
                        double rr = r == null ? 0 : r[oi];
                        db[oc] += rr;
                        for (int ci = 0; ci < cg; ci++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int yy = y * s + i - p, xx = x * s + j - p;
                                    if (yy < 0 || yy >= h || xx < 0 || xx >= wd) {
                                        continue;
                                    }
                                    int xi = ((b * c + g * cg + ci) * h + yy) * wd + xx;
                                    int wi = ((oc * cg + ci) * kh + i) * kw + j;
                                    acc += w[wi] * in[xi];
                                    dx[xi] += rr * w[wi];
                                    dw[wi] += rr * in[xi];
                                }
                            }
                        }
                        out[oi] = acc;
                    }
                }
            }
        }
        return new ConvRef(new int[] {bsz, o, oh, ow}, out, dx, dw, db);
    }
}
