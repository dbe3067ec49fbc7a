package dev.distillery.autograd;

import static dev.distillery.autograd.Loops.assertClose;
import static dev.distillery.autograd.Loops.constant;
import static dev.distillery.autograd.Loops.leaf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Layer norm and group norm against loops: {@code y = (x - mu) / sqrt(var + eps) w + b} with the
 * biased variance, and the gradients {@code dx = r (dxhat - mean(dxhat) - xhat mean(dxhat xhat))},
 * {@code dw = sum g xhat}, {@code db = sum g}, {@code dxhat = g w}. Group norm's gradient is
 * checked on both of its routes (the backend's fused kernel, and differentiable ops when the
 * gradient's graph is recorded). eps = 0.1 is large, so that a wrong sign or place of eps shows.
 */
@ExtendWith(ScalarBackendExtension.class)
class NormKnownAnswerTest {
    private static final double EPS = 0.1;
    private static final double TOL = 1e-13;

    /** Per group of {@code size} elements laid out by {@code member(group, i)}; channel of each element by {@code channel}. */
    private record Ref(double[] y, double[] dx, double[] dw, double[] db) {
    }

    private interface Layout {
        int index(int group, int i);
    }

    private interface ChannelOf {
        int channel(int flatIndex);
    }

    private static Ref normRef(double[] x, int groups, int size, Layout at, ChannelOf ch, double[] w, double[] b,
                               double[] g, int channels) {
        double[] y = new double[x.length];
        double[] dx = new double[x.length];
        double[] dw = new double[channels];
        double[] db = new double[channels];
        for (int grp = 0; grp < groups; grp++) {
            double mu = 0;
            for (int i = 0; i < size; i++) {
                mu += x[at.index(grp, i)];
            }
            mu /= size;
            double var = 0;
            for (int i = 0; i < size; i++) {
                double d = x[at.index(grp, i)] - mu;
                var += d * d;
            }
            var /= size;
            double r = 1 / Math.sqrt(var + EPS);
            double meanD = 0, meanDX = 0;
            for (int i = 0; i < size; i++) {
                int k = at.index(grp, i);
                int c = ch.channel(k);
                double xhat = (x[k] - mu) * r;
                y[k] = xhat * (w == null ? 1 : w[c]) + (b == null ? 0 : b[c]);
                double dxhat = g[k] * (w == null ? 1 : w[c]);
                meanD += dxhat / size;
                meanDX += dxhat * xhat / size;
                dw[c] += g[k] * xhat;
                db[c] += g[k];
            }
            for (int i = 0; i < size; i++) {
                int k = at.index(grp, i);
                double xhat = (x[k] - mu) * r;
                double dxhat = g[k] * (w == null ? 1 : w[ch.channel(k)]);
                dx[k] = r * (dxhat - meanD - xhat * meanDX);
            }
        }
        return new Ref(y, dx, dw, db);
    }

    @Test
    void layerNormOverTheLastTwoDimensionsMatchesLoops() {
        Tensor x = leaf(0.15, 2, 3, 4);
        Tensor w = leaf(0.9, 3, 4);
        Tensor b = leaf(-0.6, 3, 4);
        Tensor r = constant(1.7, 2, 3, 4);
        Ref ref = normRef(x.toDoubleArray(), 2, 12, (grp, i) -> grp * 12 + i, k -> k % 12, w.toDoubleArray(),
                b.toDoubleArray(), r.toDoubleArray(), 12);
        Tensor y = x.layerNorm(2, w, b, EPS);
        assertClose("layerNorm", ref.y, y, TOL);
        List<Tensor> g = Autograd.grad(List.of(y.mul(r).sum()), List.of(x, w, b), null, false);
        assertClose("layerNorm dx", ref.dx, g.get(0), TOL);
        assertClose("layerNorm dw", ref.dw, g.get(1), TOL);
        assertClose("layerNorm db", ref.db, g.get(2), TOL);
        // over the last dimension only, no affine; over all three
        Ref last = normRef(x.toDoubleArray(), 6, 4, (grp, i) -> grp * 4 + i, k -> 0, null, null, r.toDoubleArray(), 1);
        assertClose("layerNorm, last dim", last.y, x.layerNorm(1, null, null, EPS), TOL);
        Ref all = normRef(x.toDoubleArray(), 1, 24, (grp, i) -> i, k -> 0, null, null, r.toDoubleArray(), 1);
        assertClose("layerNorm, all dims", all.y, x.layerNorm(3, null, null, EPS), TOL);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> x.layerNorm(0, null, null, EPS))
                .getMessage().contains("last 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> x.layerNorm(4, null, null, EPS))
                .getMessage().startsWith("layerNorm: cannot normalise over the last 4"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> x.layerNorm(2, Tensor.ones(DType.F64, 1, 1, 3, 4),
                null, EPS)).getMessage().contains("do not match"));
        assertThrows(IllegalArgumentException.class, () -> x.layerNorm(2, null, Tensor.ones(DType.F64, 1, 1, 3, 4), EPS));
    }

    @Test
    void groupNormMatchesLoopsOnBothGradientRoutes() {
        int bsz = 2, c = 4, s = 3, groups = 2;
        int per = c / groups * s;
        Layout at = (grp, i) -> (grp / groups) * c * s + (grp % groups) * per + i;
        ChannelOf ch = k -> (k / s) % c;
        for (int affine = 0; affine < 3; affine++) {       // weight and bias, weight only, neither
            Tensor x = leaf(0.25, bsz, c, s);
            Tensor w = affine < 2 ? leaf(1.3, c) : null;
            Tensor b = affine == 0 ? leaf(-0.2, c) : null;
            Tensor r = constant(0.8, bsz, c, s);
            Ref ref = normRef(x.toDoubleArray(), bsz * groups, per, at, ch, w == null ? null : w.toDoubleArray(),
                    b == null ? null : b.toDoubleArray(), r.toDoubleArray(), c);
            Tensor y = x.groupNorm(groups, w, b, EPS);
            assertClose("groupNorm", ref.y, y, TOL);
            List<Tensor> wrt = new ArrayList<>(List.of(x));
            if (w != null) {
                wrt.add(w);
            }
            if (b != null) {
                wrt.add(b);
            }
            for (boolean createGraph : new boolean[] {false, true}) {
                List<Tensor> g = Autograd.grad(List.of(y.mul(r).sum()), wrt, null, createGraph);
                String route = createGraph ? " (differentiable)" : " (fused)";
                assertClose("groupNorm dx" + route, ref.dx, g.get(0), TOL);
                if (w != null) {
                    assertClose("groupNorm dw" + route, ref.dw, g.get(1), TOL);
                }
                if (b != null) {
                    assertClose("groupNorm db" + route, ref.db, g.get(2), TOL);
                }
                y = x.groupNorm(groups, w, b, EPS);
            }
            // gradients of the parameters alone (x constant), on both routes
            if (w != null) {
                Tensor xc = x.detach();
                for (boolean createGraph : new boolean[] {false, true}) {
                    Tensor dw = Autograd.grad(List.of(xc.groupNorm(groups, w, b, EPS).mul(r).sum()), List.of(w), null,
                            createGraph).get(0);
                    assertClose("groupNorm dw alone", ref.dw, dw, TOL);
                }
            }
        }
    }

    @Test
    void groupNormOfMatricesAndItsArgumentChecks() {
        Tensor x = leaf(0.55, 3, 6);        // [B, C], one element per channel
        Ref ref = normRef(x.toDoubleArray(), 9, 2, (grp, i) -> grp * 2 + i, k -> k % 6, null, null, new double[18], 6);
        assertClose("groupNorm [B, C]", ref.y, x.groupNorm(3, null, null, EPS), TOL);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.F64, 4).groupNorm(1, null, null, EPS))
                .getMessage().startsWith("groupNorm: 1 groups do not divide"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> x.groupNorm(0, null, null, EPS))
                .getMessage().startsWith("groupNorm: 0 groups do not divide"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> x.groupNorm(4, null, null, EPS))
                .getMessage().startsWith("groupNorm: 4 groups do not divide"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> x.groupNorm(2, Tensor.ones(DType.F64, 5), null, EPS))
                .getMessage().contains("weight must have 6"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> x.groupNorm(2, null, Tensor.ones(DType.F64, 7), EPS))
                .getMessage().contains("bias must have 6"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> x.groupNorm(2, Tensor.ones(DType.F32, 6), null, EPS))
                .getMessage().startsWith("groupNorm: dtype mismatch"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> x.groupNorm(2, null, Tensor.ones(DType.F32, 6), EPS))
                .getMessage().startsWith("groupNorm: dtype mismatch"));
        assertArrayEquals(new int[] {3, 6}, x.groupNorm(6, Tensor.ones(DType.F64, 6), Tensor.zeros(DType.F64, 6), EPS)
                .shape().dims());
    }
}
