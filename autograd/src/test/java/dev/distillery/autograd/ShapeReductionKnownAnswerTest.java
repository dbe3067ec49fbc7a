package dev.distillery.autograd;

import static dev.distillery.autograd.Loops.assertClose;
import static dev.distillery.autograd.Loops.constant;
import static dev.distillery.autograd.Loops.leaf;
import static dev.distillery.autograd.Loops.unflatten;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * Values of the shape ops and reductions against loops on asymmetric inputs, their gradients
 * where the backward is a separate computation (slice/embed, indexSelect/indexAdd, concat, max's
 * tie split), the short cuts that return the input itself, and each argument check at its
 * boundary: the invalid value rejected, the valid neighbour accepted.
 */
@ExtendWith(ScalarBackendExtension.class)
class ShapeReductionKnownAnswerTest {
    private static final double TOL = 1e-14;

    private static String rejected(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    // ------------------------------------------------------------------ reshape family

    @Test
    void reshapeInfersOneDimensionAndReturnsTheInputWhenNothingChanges() {
        Tensor x = leaf(0.2, 2, 6);
        assertArrayEquals(new int[] {4, 3}, x.reshape(4, -1).shape().dims());
        assertArrayEquals(new int[] {3, 2, 2}, x.reshape(3, -1, 2).shape().dims());
        assertArrayEquals(x.toDoubleArray(), x.reshape(-1).toDoubleArray(), 0.0);
        assertSame(x, x.reshape(2, 6));
        assertSame(x, x.reshape(2, -1));
        assertTrue(rejected(() -> x.reshape(-1, -1)).contains("more than one -1"));
        assertTrue(rejected(() -> x.reshape(5, -1)).contains("cannot infer"));
        assertTrue(rejected(() -> x.reshape(4, 4)).contains("cannot become"));
        assertTrue(rejected(() -> x.reshape(13)).contains("cannot become"));
        Tensor empty = Tensor.zeros(DType.F64, 0, 3);
        assertTrue(rejected(() -> empty.reshape(0, -1)).contains("cannot infer"));
        assertArrayEquals(new int[] {3, 0}, empty.reshape(3, -1).shape().dims());
        // flatten of an empty tensor is the tensor itself (the -1 could not be inferred)
        Tensor e3 = Tensor.zeros(DType.F64, 0, 3, 2);
        assertSame(e3, e3.flatten(1));
        Tensor y = leaf(0.2, 2, 3, 2);
        assertArrayEquals(new int[] {2, 6}, y.flatten(1).shape().dims());
        assertArrayEquals(new int[] {12}, y.flatten(0).shape().dims());
        assertArrayEquals(new int[] {2, 3, 2}, y.flatten(-1).shape().dims());
        assertArrayEquals(new int[] {2, 3, 2}, y.flatten(2).shape().dims());
    }

    @Test
    void unsqueezeAndSqueezeAtEveryAxis() {
        Tensor x = leaf(0.2, 2, 3);
        assertArrayEquals(new int[] {1, 2, 3}, x.unsqueeze(0).shape().dims());
        assertArrayEquals(new int[] {2, 1, 3}, x.unsqueeze(1).shape().dims());
        assertArrayEquals(new int[] {2, 3, 1}, x.unsqueeze(2).shape().dims());
        assertArrayEquals(new int[] {2, 3, 1}, x.unsqueeze(-1).shape().dims());
        assertArrayEquals(new int[] {1, 2, 3}, x.unsqueeze(-3).shape().dims());
        assertTrue(rejected(() -> x.unsqueeze(3)).contains("unsqueeze"));
        Tensor z = leaf(0.2, 2, 3, 4);
        assertArrayEquals(new int[] {1, 2, 3, 4}, z.unsqueeze(0).shape().dims());
        assertArrayEquals(new int[] {2, 1, 3, 4}, z.unsqueeze(1).shape().dims());
        assertArrayEquals(new int[] {2, 3, 4, 1}, z.unsqueeze(3).shape().dims());
        assertTrue(rejected(() -> x.unsqueeze(-4)).contains("unsqueeze"));
        Tensor y = leaf(0.2, 3, 1, 2, 1);
        assertArrayEquals(new int[] {3, 2, 1}, y.squeeze(1).shape().dims());
        assertArrayEquals(new int[] {3, 1, 2}, y.squeeze(-1).shape().dims());
        assertArrayEquals(new int[] {3, 1, 2}, y.squeeze(3).shape().dims());
        assertTrue(rejected(() -> y.squeeze(2)).contains("has size 2"));
        assertTrue(rejected(() -> y.squeeze(0)).contains("has size 3"));
    }

    @Test
    void permuteMovesEachElementAndItsGradient() {
        int[] dims = {2, 3, 4};
        Tensor x = leaf(0.6, dims);
        double[] xv = x.toDoubleArray();
        for (int[] order : new int[][] {{2, 0, 1}, {1, 2, 0}, {0, 2, 1}, {-1, 0, -2}}) {
            int[] ord = new int[3];
            for (int d = 0; d < 3; d++) {
                ord[d] = order[d] < 0 ? order[d] + 3 : order[d];
            }
            int[] od = {dims[ord[0]], dims[ord[1]], dims[ord[2]]};
            Tensor y = x.permute(order);
            assertArrayEquals(od, y.shape().dims());
            Tensor r = constant(3.1, od);
            double[] rv = r.toDoubleArray();
            double[] out = new double[xv.length];
            double[] dx = new double[xv.length];
            for (int o = 0; o < out.length; o++) {
                int[] oi = unflatten(o, od);
                int[] xi = new int[3];
                for (int d = 0; d < 3; d++) {
                    xi[ord[d]] = oi[d];
                }
                int src = (xi[0] * dims[1] + xi[1]) * dims[2] + xi[2];
                out[o] = xv[src];
                dx[src] += rv[o];
            }
            assertClose("permute", out, y, 0.0);
            assertClose("permute dx", dx, Autograd.grad(List.of(y.mul(r).sum()), List.of(x), null, false).get(0), 0.0);
        }
        assertSame(x, x.permute(0, 1, 2));
        assertSame(x, x.permute(-3, 1, -1));
        assertTrue(rejected(() -> x.permute(0, 1)).contains("rank 3"));
        assertTrue(rejected(() -> x.permute(0, 1, 1)).contains("not a permutation"));
        assertTrue(rejected(() -> x.permute(0, 2, -1)).contains("not a permutation"));
        Tensor t = x.transpose(0, -1);
        assertArrayEquals(new int[] {4, 3, 2}, t.shape().dims());
        assertEquals(x.get(1, 2, 3), t.get(3, 2, 1), 0.0);
        assertEquals(x.get(0, 1, 3), t.get(3, 1, 0), 0.0);
    }

    @Test
    void expandRepeatsAndSumsBack() {
        Tensor x = leaf(0.9, 3, 1);
        Tensor y = x.expand(2, 3, 4);
        double[] xv = x.toDoubleArray();
        double[] out = new double[24];
        for (int o = 0; o < 24; o++) {
            out[o] = xv[unflatten(o, new int[] {2, 3, 4})[1]];
        }
        assertClose("expand", out, y, 0.0);
        Tensor r = constant(0.3, 2, 3, 4);
        double[] rv = r.toDoubleArray();
        double[] dx = new double[3];
        for (int o = 0; o < 24; o++) {
            dx[unflatten(o, new int[] {2, 3, 4})[1]] += rv[o];
        }
        assertClose("expand dx", dx, Autograd.grad(List.of(y.mul(r).sum()), List.of(x), null, false).get(0), TOL);
        assertArrayEquals(new int[] {2, 3, 4}, x.expand(2, -1, 4).shape().dims());
        assertArrayEquals(new int[] {3, 5}, x.expand(-1, 5).shape().dims());
        assertSame(x, x.expand(3, 1));
        assertSame(x, x.expand(-1, -1));
        assertTrue(rejected(() -> x.expand(-1, 3, 4)).contains("new leading"));
        assertTrue(rejected(() -> x.expand(4)).contains("lower rank"));
        assertThrows(IllegalArgumentException.class, () -> x.expand(2, 4));
        // a size-1 target dimension cannot take a larger one (broadcasting the two would give [3, 4])
        assertTrue(rejected(() -> x.expand(1, 4)).contains("cannot be expanded to [1, 4]"));
        assertArrayEquals(new int[] {1, 3, 1}, x.expand(1, 3, 1).shape().dims());
    }

    // ------------------------------------------------------------------ slice, pad, concat, index

    @Test
    void sliceValuesAndBounds() {
        Tensor x = leaf(1.2, 3, 5);
        double[] xv = x.toDoubleArray();
        Tensor s = x.slice(1, 1, 5, 2);                 // columns 1, 3
        assertArrayEquals(new int[] {3, 2}, s.shape().dims());
        assertArrayEquals(new double[] {xv[1], xv[3], xv[6], xv[8], xv[11], xv[13]}, s.toDoubleArray(), 0.0);
        Tensor s3 = x.slice(1, 0, 5, 3);                // columns 0, 3
        assertArrayEquals(new double[] {xv[0], xv[3], xv[5], xv[8], xv[10], xv[13]}, s3.toDoubleArray(), 0.0);
        Tensor s4 = x.slice(-1, 2, 5, 2);               // columns 2, 4
        assertArrayEquals(new double[] {xv[2], xv[4], xv[7], xv[9], xv[12], xv[14]}, s4.toDoubleArray(), 0.0);
        Tensor rows = x.slice(0, 1, 3);
        assertArrayEquals(java.util.Arrays.copyOfRange(xv, 5, 15), rows.toDoubleArray(), 0.0);
        Tensor r = constant(0.4, 3, 2);
        double[] rv = r.toDoubleArray();
        double[] dx = new double[15];
        for (int i = 0; i < 3; i++) {
            dx[i * 5 + 1] = rv[i * 2];
            dx[i * 5 + 3] = rv[i * 2 + 1];
        }
        assertClose("slice dx", dx, Autograd.grad(List.of(s.mul(r).sum()), List.of(x), null, false).get(0), 0.0);
        assertSame(x, x.slice(1, 0, 5));
        assertSame(x, x.slice(0, 0, 3, 1));
        assertArrayEquals(new int[] {3, 0}, x.slice(1, 2, 2).shape().dims());
        assertArrayEquals(new int[] {3, 1}, x.slice(1, 4, 5, 7).shape().dims());
        assertTrue(rejected(() -> x.slice(1, 0, 5, 0)).contains("[0:5:0] is not a valid range"));
        assertTrue(rejected(() -> x.slice(1, -1, 5)).contains("[-1:5:1] is not a valid range"));
        assertTrue(rejected(() -> x.slice(1, 0, 6)).contains("[0:6:1] is not a valid range"));
        assertTrue(rejected(() -> x.slice(1, 3, 2)).contains("[3:2:1] is not a valid range"));
    }

    @Test
    void padPlacesTheInputAndItsGradientIsTheSlice() {
        Tensor x = leaf(-0.8, 2, 3);
        double[] xv = x.toDoubleArray();
        Tensor p = x.pad(new int[] {1, 0}, new int[] {0, 2});   // [3, 5], x at rows 1..2, columns 0..2
        assertArrayEquals(new int[] {3, 5}, p.shape().dims());
        double[] expected = new double[15];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                expected[(i + 1) * 5 + j] = xv[i * 3 + j];
            }
        }
        assertArrayEquals(expected, p.toDoubleArray(), 0.0);
        Tensor r = constant(0.5, 3, 5);
        double[] rv = r.toDoubleArray();
        double[] dx = new double[6];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                dx[i * 3 + j] = rv[(i + 1) * 5 + j];
            }
        }
        assertClose("pad dx", dx, Autograd.grad(List.of(p.mul(r).sum()), List.of(x), null, false).get(0), 0.0);
        Tensor q = x.pad(new int[] {0, 2}, new int[] {1, 0});
        assertEquals(xv[4], q.get(1, 3), 0.0);
        assertEquals(0.0, q.get(2, 3), 0.0);
        assertTrue(rejected(() -> x.pad(new int[] {1}, new int[] {0, 0})).contains("pad"));
        rejected(() -> x.pad(new int[] {0, 0}, new int[] {0}));
        assertTrue(rejected(() -> x.pad(new int[] {0, -1}, new int[] {0, 0})).contains("negative"));
        rejected(() -> x.pad(new int[] {0, 0}, new int[] {-1, 0}));
        assertArrayEquals(xv, x.pad(new int[] {0, 0}, new int[] {0, 0}).toDoubleArray(), 0.0);
    }

    @Test
    void concatAndStackPlaceEachPartAndSplitTheGradient() {
        Tensor a = leaf(0.1, 2, 3);
        Tensor b = constant(2.0, 2, 2);
        Tensor c = leaf(-1.0, 2, 1);
        Tensor y = Tensor.concat(List.of(a, b, c), -1);
        assertArrayEquals(new int[] {2, 6}, y.shape().dims());
        double[] av = a.toDoubleArray(), bv = b.toDoubleArray(), cv = c.toDoubleArray();
        double[] expected = {av[0], av[1], av[2], bv[0], bv[1], cv[0], av[3], av[4], av[5], bv[2], bv[3], cv[1]};
        assertArrayEquals(expected, y.toDoubleArray(), 0.0);
        Tensor r = constant(0.7, 2, 6);
        double[] rv = r.toDoubleArray();
        List<Tensor> g = Autograd.grad(List.of(y.mul(r).sum()), List.of(a, c), null, false);
        assertArrayEquals(new double[] {rv[0], rv[1], rv[2], rv[6], rv[7], rv[8]}, g.get(0).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {rv[5], rv[11]}, g.get(1).toDoubleArray(), 0.0);
        Tensor rowsCat = Tensor.concat(List.of(a, leaf(0.3, 1, 3)), 0);
        assertArrayEquals(new int[] {3, 3}, rowsCat.shape().dims());
        assertEquals(av[5], rowsCat.get(1, 2), 0.0);
        Tensor s = Tensor.stack(List.of(a, a.mul(2.0)), 1);
        assertArrayEquals(new int[] {2, 2, 3}, s.shape().dims());
        assertEquals(2 * av[4], s.get(1, 1, 1), 0.0);
        assertEquals(av[4], s.get(1, 0, 1), 0.0);
        assertTrue(rejected(() -> Tensor.concat(List.of(), 0)).contains("no tensors"));
        assertTrue(rejected(() -> Tensor.concat(List.of(a, Tensor.zeros(DType.F64, 3)), 0)).contains("ranks differ"));
        assertTrue(rejected(() -> Tensor.concat(List.of(a, Tensor.zeros(DType.F64, 3, 3)), 1)).contains("differ outside"));
        rejected(() -> Tensor.concat(List.of(a, Tensor.zeros(DType.F32, 2, 3)), 0));
        assertTrue(rejected(() -> Tensor.stack(List.of(), 0)).startsWith("stack: no tensors"));
        assertTrue(rejected(() -> Tensor.stack(List.of(a, b), 0)).contains("shapes differ"));
    }

    @Test
    void indexSelectAndIndexAddWithRepeatsOnAnInnerAxis() {
        Tensor x = leaf(0.5, 2, 3, 2);
        double[] xv = x.toDoubleArray();
        int[] idx = {2, 0, 2, 1};
        Tensor y = x.indexSelect(1, idx);
        assertArrayEquals(new int[] {2, 4, 2}, y.shape().dims());
        double[] out = new double[16];
        for (int b = 0; b < 2; b++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 2; k++) {
                    out[(b * 4 + j) * 2 + k] = xv[(b * 3 + idx[j]) * 2 + k];
                }
            }
        }
        assertArrayEquals(out, y.toDoubleArray(), 0.0);
        Tensor r = constant(1.1, 2, 4, 2);
        double[] rv = r.toDoubleArray();
        double[] dx = new double[12];
        for (int b = 0; b < 2; b++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 2; k++) {
                    dx[(b * 3 + idx[j]) * 2 + k] += rv[(b * 4 + j) * 2 + k];
                }
            }
        }
        assertClose("indexSelect dx", dx, Autograd.grad(List.of(y.mul(r).sum()), List.of(x), null, false).get(0), TOL);
        Tensor z = leaf(-0.5, 2, 4, 2);
        Tensor added = z.indexAdd(1, idx, 3);
        double[] zv = z.toDoubleArray();
        double[] sum = new double[12];
        for (int b = 0; b < 2; b++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 2; k++) {
                    sum[(b * 3 + idx[j]) * 2 + k] += zv[(b * 4 + j) * 2 + k];
                }
            }
        }
        assertClose("indexAdd", sum, added, TOL);
        assertArrayEquals(x.toDoubleArray(), x.indexSelect(-1, new int[] {0, 1}).toDoubleArray(), 0.0);
        assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> x.indexSelect(1, new int[] {0, 3}))
                .getMessage().contains("index 3 at position 1 is outside 0..2"));
        assertThrows(IndexOutOfBoundsException.class, () -> x.indexSelect(1, new int[] {-1}));
        assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> z.indexAdd(1, new int[] {0, 1, 2, 3}, 3))
                .getMessage().startsWith("indexAdd: index 3 at position 3"));
        assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> x.indexSelect(1, new int[] {1, -1}))
                .getMessage().startsWith("indexSelect: index -1 at position 1"));
        assertTrue(rejected(() -> z.indexAdd(1, new int[] {0, 1, 2}, 3)).contains("3 indices"));
        assertArrayEquals(new int[] {2, 4, 2}, x.indexSelect(1, new int[] {2, 2, 2, 2}).shape().dims());
    }

    // ------------------------------------------------------------------ reductions

    @Test
    void sumMeanMaxAndVarianceOverAxesMatchLoops() {
        int[] dims = {2, 3, 4};
        Tensor x = leaf(0.35, dims);
        double[] xv = x.toDoubleArray();
        double[] sum = new double[3];
        double[] max = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < 24; i++) {
            int j = unflatten(i, dims)[1];
            sum[j] += xv[i];
            max[j] = Math.max(max[j], xv[i]);
        }
        double[] mean = {sum[0] / 8, sum[1] / 8, sum[2] / 8};
        double[] var = new double[3];
        for (int i = 0; i < 24; i++) {
            int j = unflatten(i, dims)[1];
            var[j] += (xv[i] - mean[j]) * (xv[i] - mean[j]);
        }
        int[] axes = {0, 2};
        assertClose("sum", sum, x.sum(axes, false), TOL);
        assertArrayEquals(new int[] {3}, x.sum(axes, false).shape().dims());
        assertArrayEquals(new int[] {1, 3, 1}, x.sum(axes, true).shape().dims());
        assertClose("mean", mean, x.mean(new int[] {2, -3}, true), TOL);
        assertArrayEquals(new int[] {1, 3, 1}, x.mean(axes, true).shape().dims());
        assertClose("max", max, x.max(axes, false), 0.0);
        assertClose("variance", new double[] {var[0] / 8, var[1] / 8, var[2] / 8}, x.variance(axes, false), TOL);
        assertClose("variance, correction 1", new double[] {var[0] / 7, var[1] / 7, var[2] / 7},
                x.variance(axes, true, 1), TOL);
        assertClose("variance, correction 7", var, x.variance(axes, false, 7), TOL);
        assertTrue(rejected(() -> x.variance(axes, false, 8)).contains("no degrees of freedom"));
        assertTrue(rejected(() -> x.sum(new int[] {1, -2}, false)).contains("listed twice"));
        assertTrue(rejected(() -> x.sum(new int[] {3}, false)).startsWith("sum: "));
        assertTrue(rejected(() -> Tensor.zeros(DType.F64, 0, 2).max()).contains("empty"));
        assertEquals(0, x.mean().rank());
        assertEquals((sum[0] + sum[1] + sum[2]) / 24, x.mean().item(), TOL);
    }

    @Test
    void maxSplitsItsGradientAmongTies() {
        Tensor x = Tensor.of(new double[] {1, 3, 3, 2, 5, -1, 5, 5}, 2, 4).requiresGrad(true);
        Tensor m = x.max(1, true);
        assertArrayEquals(new double[] {3, 5}, m.toDoubleArray(), 0.0);
        Tensor g = Autograd.grad(List.of(m.mul(Tensor.of(new double[] {6, 9}, 2, 1)).sum()), List.of(x), null, false).get(0);
        assertArrayEquals(new double[] {0, 3, 3, 0, 3, 0, 3, 3}, g.toDoubleArray(), 0.0);
        Tensor mn = x.min(0, false);
        assertArrayEquals(new double[] {1, -1, 3, 2}, mn.toDoubleArray(), 0.0);
    }

    @Test
    void logsumexpAndSoftmaxMatchLoops() {
        Tensor x = leaf(0.45, 3, 4);
        double[] xv = x.toDoubleArray();
        double[] lse = new double[3];
        double[] soft = new double[12];
        for (int i = 0; i < 3; i++) {
            double s = 0;
            for (int j = 0; j < 4; j++) {
                s += Math.exp(xv[i * 4 + j]);
            }
            lse[i] = Math.log(s);
            for (int j = 0; j < 4; j++) {
                soft[i * 4 + j] = Math.exp(xv[i * 4 + j]) / s;
            }
        }
        assertClose("logsumexp", lse, x.logsumexp(1, false), TOL);
        assertArrayEquals(new int[] {3, 1}, x.logsumexp(-1, true).shape().dims());
        assertClose("softmax", soft, x.softmax(1), TOL);
        double[] logSoft = new double[12];
        for (int k = 0; k < 12; k++) {
            logSoft[k] = Math.log(soft[k]);
        }
        assertClose("logSoftmax", logSoft, x.logSoftmax(-1), TOL);
        // large values: the shift by the maximum keeps them finite
        Tensor big = Tensor.of(new double[] {1000, 1000 + Math.log(3)}, 1, 2);
        assertEquals(1000 + Math.log(4), big.logsumexp(1, false).item(), 1e-12);
    }
}
