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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values and gradients of the broadcasting elementwise rules against plain loops: the gradient of
 * a broadcast operand summed back to its shape ({@code unbroadcast}) for every kind of broadcast
 * axis (added leading axes, size-1 axes inside, rank 0, both operands broadcast), {@code where}
 * with all three operands broadcast, and the cast and clamp rules at their edges.
 */
@ExtendWith(ScalarBackendExtension.class)
class ElementwiseKnownAnswerTest {
    private static final double TOL = 1e-14;

    static Stream<Arguments> broadcastPairs() {
        return Stream.of(
                Arguments.of(new int[] {2, 3}, new int[] {2, 3}),
                Arguments.of(new int[] {2, 1, 3}, new int[] {4, 1}),
                Arguments.of(new int[] {3}, new int[] {2, 3}),
                Arguments.of(new int[] {2, 3}, new int[] {3}),
                Arguments.of(new int[] {1, 3}, new int[] {2, 3}),
                Arguments.of(new int[] {2, 3}, new int[] {2, 1}),
                Arguments.of(new int[] {}, new int[] {2, 3}),
                Arguments.of(new int[] {2, 3}, new int[] {}),
                Arguments.of(new int[] {1, 1}, new int[] {3, 2}),
                Arguments.of(new int[] {2, 1, 1}, new int[] {1, 3, 1}),
                Arguments.of(new int[] {3, 1}, new int[] {1, 1, 4}),
                Arguments.of(new int[] {1, 2, 1, 3}, new int[] {2, 1, 1}));
    }

    @ParameterizedTest
    @MethodSource("broadcastPairs")
    void binaryGradientsAreSummedBackToEachOperandsShape(int[] aDims, int[] bDims) {
        for (String op : new String[] {"add", "sub", "mul", "div", "maximum", "minimum"}) {
            Tensor a = leaf(0.4, aDims);
            Tensor b = leaf(op.equals("div") ? 5.0 : -1.3, bDims);
            if (op.equals("div")) {
                b = Tensor.of(shiftAway(b.toDoubleArray()), bDims).requiresGrad(true);
            }
            Tensor y = switch (op) {
                case "add" -> a.add(b);
                case "sub" -> a.sub(b);
                case "mul" -> a.mul(b);
                case "div" -> a.div(b);
                case "maximum" -> a.maximum(b);
                default -> a.minimum(b);
            };
            int[] outDims = y.shape().dims();
            Tensor r = constant(2.9, outDims);
            double[] av = a.toDoubleArray(), bv = b.toDoubleArray(), rv = r.toDoubleArray();
            double[] out = new double[numel(outDims)];
            double[] da = new double[av.length];
            double[] db = new double[bv.length];
            for (int o = 0; o < out.length; o++) {
                int[] idx = unflatten(o, outDims);
                int i = broadcastSource(idx, aDims), j = broadcastSource(idx, bDims);
                double x = av[i], z = bv[j];
                switch (op) {
                    case "add" -> { out[o] = x + z; da[i] += rv[o]; db[j] += rv[o]; }
                    case "sub" -> { out[o] = x - z; da[i] += rv[o]; db[j] -= rv[o]; }
                    case "mul" -> { out[o] = x * z; da[i] += rv[o] * z; db[j] += rv[o] * x; }
                    case "div" -> { out[o] = x / z; da[i] += rv[o] / z; db[j] -= rv[o] * x / (z * z); }
                    case "maximum" -> { out[o] = Math.max(x, z); da[i] += x > z ? rv[o] : 0; db[j] += z > x ? rv[o] : 0; }
                    default -> { out[o] = Math.min(x, z); da[i] += x < z ? rv[o] : 0; db[j] += z < x ? rv[o] : 0; }
                }
            }
            assertClose(op + " value", out, y, TOL);
            List<Tensor> g = Autograd.grad(List.of(y.mul(r).sum()), List.of(a, b), null, false);
            assertArrayEquals(aDims, g.get(0).shape().dims(), op + ": shape of da");
            assertArrayEquals(bDims, g.get(1).shape().dims(), op + ": shape of db");
            assertClose(op + " da", da, g.get(0), TOL);
            assertClose(op + " db", db, g.get(1), TOL);
        }
    }

    private static double[] shiftAway(double[] v) {
        double[] s = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = v[i] + Math.copySign(0.75, v[i]);
        }
        return s;
    }

    @Test
    void aGradientOfTheOperandsOwnShapeIsPassedOnUnchanged() {
        Tensor g = Tensor.of(new double[] {1, 2, 3}, 3);
        assertSame(g, ElementwiseOps.unbroadcast(g, Shape.of(3)));
        Tensor s = ElementwiseOps.unbroadcast(Tensor.of(new double[] {1, -2, 4, 8, 16, -32}, 2, 3), Shape.of(1, 3));
        assertArrayEquals(new int[] {1, 3}, s.shape().dims());
        assertArrayEquals(new double[] {9, 14, -28}, s.toDoubleArray(), 0.0);
        Tensor t = ElementwiseOps.unbroadcast(Tensor.of(new double[] {1, -2, 4, 8, 16, -32}, 2, 3), Shape.of(2, 1));
        assertArrayEquals(new double[] {3, -8}, t.toDoubleArray(), 0.0);
        Tensor u = ElementwiseOps.unbroadcast(Tensor.of(new double[] {1, -2, 4}, 1, 3), Shape.of(3));
        assertArrayEquals(new int[] {3}, u.shape().dims());
        assertArrayEquals(new double[] {1, -2, 4}, u.toDoubleArray(), 0.0);
        Tensor v = ElementwiseOps.unbroadcast(Tensor.of(new double[] {1, -2, 4, 8, 16, -32}, 2, 3), Shape.scalar());
        assertEquals(0, v.rank());
        assertEquals(-5, v.item(), 0.0);
    }

    @Test
    void maximumAndMinimumSplitTheGradientOnTies() {
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {2, 2, 1}, 3).requiresGrad(true);
        List<Tensor> gmax = Autograd.grad(List.of(a.maximum(b).mul(Tensor.of(new double[] {1, 10, 100}, 3)).sum()),
                List.of(a, b), null, false);
        assertArrayEquals(new double[] {0, 5, 100}, gmax.get(0).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {1, 5, 0}, gmax.get(1).toDoubleArray(), 0.0);
        List<Tensor> gmin = Autograd.grad(List.of(a.minimum(b).mul(Tensor.of(new double[] {1, 10, 100}, 3)).sum()),
                List.of(a, b), null, false);
        assertArrayEquals(new double[] {1, 5, 0}, gmin.get(0).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {0, 5, 100}, gmin.get(1).toDoubleArray(), 0.0);
    }

    static Stream<Arguments> whereLayouts() {
        return Stream.of(
                Arguments.of(new int[] {2, 3}, new int[] {2, 3}, new int[] {2, 3}),
                Arguments.of(new int[] {2, 1}, new int[] {3}, new int[] {2, 3}),
                Arguments.of(new int[] {3}, new int[] {2, 1}, new int[] {}),
                Arguments.of(new int[] {1, 3}, new int[] {}, new int[] {2, 1}),
                Arguments.of(new int[] {2, 1, 3}, new int[] {4, 1}, new int[] {1, 3}));
    }

    @ParameterizedTest
    @MethodSource("whereLayouts")
    void whereSelectsAndRoutesTheGradientByTheCondition(int[] cDims, int[] aDims, int[] bDims) {
        double[] cv = new double[numel(cDims)];
        for (int i = 0; i < cv.length; i++) {
            cv[i] = new double[] {1, 0, -2, 0, 0.5, 0}[i % 6];       // nonzero, also negative, is true
        }
        Tensor cond = Tensor.of(cv, cDims).requiresGrad(true);
        Tensor a = leaf(0.8, aDims);
        Tensor b = leaf(-2.1, bDims);
        Tensor y = Tensor.where(cond, a, b);
        int[] outDims = y.shape().dims();
        Tensor r = constant(1.6, outDims);
        double[] av = a.toDoubleArray(), bv = b.toDoubleArray(), rv = r.toDoubleArray();
        double[] out = new double[numel(outDims)];
        double[] da = new double[av.length];
        double[] db = new double[bv.length];
        for (int o = 0; o < out.length; o++) {
            int[] idx = unflatten(o, outDims);
            boolean take = cv[broadcastSource(idx, cDims)] != 0;
            int i = broadcastSource(idx, aDims), j = broadcastSource(idx, bDims);
            out[o] = take ? av[i] : bv[j];
            da[i] += take ? rv[o] : 0;
            db[j] += take ? 0 : rv[o];
        }
        assertClose("where", out, y, 0.0);
        List<Tensor> g = Autograd.grad(List.of(y.mul(r).sum()), List.of(cond, a, b), null, false);
        assertArrayEquals(new double[cv.length], g.get(0).toDoubleArray(), 0.0, "the condition gets no gradient");
        assertArrayEquals(aDims, g.get(1).shape().dims());
        assertArrayEquals(bDims, g.get(2).shape().dims());
        assertClose("where da", da, g.get(1), TOL);
        assertClose("where db", db, g.get(2), TOL);
        // one branch differentiable only: the other's rule is skipped, the values stay
        Tensor dOnlyB = Autograd.grad(List.of(Tensor.where(cond, a.detach(), b).mul(r).sum()), List.of(b), null, false).get(0);
        assertClose("where db alone", db, dOnlyB, TOL);
        Tensor dOnlyA = Autograd.grad(List.of(Tensor.where(cond, a, b.detach()).mul(r).sum()), List.of(a), null, false).get(0);
        assertClose("where da alone", da, dOnlyA, TOL);
    }

    @Test
    void whereRejectsMixedDtypes() {
        Tensor c = Tensor.zeros(DType.F64, 2);
        assertThrows(IllegalArgumentException.class, () -> Tensor.where(c, Tensor.zeros(DType.F32, 2), Tensor.zeros(DType.F64, 2)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.where(c, Tensor.zeros(DType.F64, 2), Tensor.zeros(DType.F32, 2)));
    }

    @Test
    void castRoundsForwardAndConvertsTheGradientBack() {
        Tensor x = Tensor.of(new double[] {0.1, -1.0 / 3, 1e-50, 3e39, 2.5}, 5).requiresGrad(true);
        assertSame(x, x.to(DType.F64), "a cast to its own dtype is the tensor itself");
        Tensor f = x.to(DType.F32);
        assertEquals(DType.F32, f.dtype());
        assertArrayEquals(new double[] {(float) 0.1, (float) (-1.0 / 3), 0.0, Double.POSITIVE_INFINITY, 2.5},
                f.toDoubleArray(), 0.0);
        Tensor w = Tensor.of(new float[] {3, -5, 7, 0, 0.25f}, 5);
        Tensor g = Autograd.grad(List.of(f.mul(w).sum()), List.of(x), null, false).get(0);
        assertEquals(DType.F64, g.dtype(), "the gradient has the input's dtype");
        assertArrayEquals(new double[] {3, -5, 7, 0, 0.25}, g.toDoubleArray(), 0.0);
        // and back: F32 -> F64 is exact, its gradient rounds to F32
        Tensor h = Tensor.of(new float[] {1.5f, -2.25f}, 2).requiresGrad(true);
        Tensor hg = Autograd.grad(List.of(h.to(DType.F64).mul(Tensor.of(new double[] {0.1, 1.0 / 3}, 2)).sum()),
                List.of(h), null, false).get(0);
        assertEquals(DType.F32, hg.dtype());
        assertArrayEquals(new double[] {(float) 0.1, (float) (1.0 / 3)}, hg.toDoubleArray(), 0.0);
        assertFalse(Tensor.of(new double[] {1}, 1).to(DType.F32).requiresGrad());
    }

    @Test
    void clampValuesGradientsAndBounds() {
        double[] v = {-3, -0.5, -0.25, 0.7, 0.75, 4, Double.NaN};
        double[] clamped = {-0.5, -0.5, -0.25, 0.7, 0.7, 0.7, Double.NaN};
        // without gradients, with gradients, and in no-grad mode: the same values
        assertArrayEquals(clamped, Tensor.of(v, 7).clamp(-0.5, 0.7).toDoubleArray(), 0.0);
        Tensor x = Tensor.of(v, 7).requiresGrad(true);
        Tensor y = x.clamp(-0.5, 0.7);
        assertArrayEquals(clamped, y.toDoubleArray(), 0.0);
        assertTrue(y.requiresGrad());
        try (var ignored = Autograd.noGrad()) {
            Tensor n = x.clamp(-0.5, 0.7);
            assertArrayEquals(clamped, n.toDoubleArray(), 0.0);
            assertFalse(n.requiresGrad());
        }
        Tensor r = Tensor.of(new double[] {1, 2, 4, 8, 16, 32, 64}, 7);
        Tensor g = Autograd.grad(List.of(y.mul(r).sum()), List.of(x), null, false).get(0);
        // PyTorch: g where lo <= x <= hi (bounds included), else 0; NaN is outside
        assertArrayEquals(new double[] {0, 2, 4, 8, 0, 0, 0}, g.toDoubleArray(), 0.0);
        // equal bounds are allowed (a constant), reversed ones are not
        Tensor e = Tensor.of(v, 7).requiresGrad(true);
        Tensor c = e.clamp(0.7, 0.7);
        assertArrayEquals(new double[] {0.7, 0.7, 0.7, 0.7, 0.7, 0.7, Double.NaN}, c.toDoubleArray(), 0.0);
        Tensor ge = Autograd.grad(List.of(c.mul(r).sum()), List.of(e), null, false).get(0);
        assertArrayEquals(new double[] {0, 0, 0, 8, 0, 0, 0}, ge.toDoubleArray(), 0.0);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> x.clamp(0.7, -0.5));
        assertTrue(bad.getMessage().contains("0.7") && bad.getMessage().contains("-0.5"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.clamp(Double.NaN, 1));
        assertNull(Tensor.of(v, 7).clamp(-0.5, 0.7).grad());
    }
}
