package dev.distillery.autograd.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.backend.AdamPlan;
import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.BinaryKernel;
import dev.distillery.autograd.backend.ConvGeometry;
import dev.distillery.autograd.backend.GroupNormPlan;
import dev.distillery.autograd.backend.ElementwisePlan;
import dev.distillery.autograd.backend.MatmulPlan;
import dev.distillery.autograd.backend.RandomKind;
import dev.distillery.autograd.backend.ReduceKernel;
import dev.distillery.autograd.backend.ReducePlan;
import dev.distillery.autograd.backend.Storage;
import dev.distillery.autograd.backend.UnaryKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The same inputs give bit-identical outputs on SimdBackend(1), (2) and (4), for every kernel with
 * inputs large enough to be split into many tasks. Each workload also runs several times on each
 * backend, so a kernel compiled mid-run (a different JIT tier) must give the same bits too, and
 * then on one shared backend from two threads at once, one of them under
 * {@link Backends#callerThreadOnly()}.
 */
class SimdDeterminismTest {
    private static final int[] THREADS = {1, 2, 4};
    private static final int REPEATS = 3;

    private static void assertSameBitsForAnyThreadCount(String what, Function<Backend, double[]> workload) {
        double[] first = null;
        for (int t : THREADS) {
            Backend be = new SimdBackend(t);
            for (int rep = 0; rep < REPEATS; rep++) {
                double[] got = workload.apply(be);
                if (first == null) {
                    first = got;
                    continue;
                }
                assertSameBits(what + ": threads=" + t + " repeat " + rep, first, got);
            }
        }
        // two callers at once on one shared pool, each keeping its kernels to its own thread (how
        // the demo trains methods side by side), and one caller sharing the pool with another
        Backend shared = new SimdBackend(2);
        double[] reference = first;
        CompletableFuture<double[]> ownThread = CompletableFuture.supplyAsync(() -> {
            try (Backends.Scope ignored = Backends.callerThreadOnly()) {
                return workload.apply(shared);
            }
        });
        CompletableFuture<double[]> pooled = CompletableFuture.supplyAsync(() -> workload.apply(shared));
        assertSameBits(what + ": caller-thread-only beside another caller", reference, ownThread.join());
        assertSameBits(what + ": pooled beside another caller", reference, pooled.join());
    }

    private static void assertSameBits(String what, double[] expected, double[] got) {
        assertEquals(expected.length, got.length, what);
        for (int i = 0; i < got.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(got[i])
                    && !(Double.isNaN(expected[i]) && Double.isNaN(got[i]))) {
                fail(what + " differs from threads=1 at " + i + ": " + got[i] + " vs " + expected[i]);
            }
        }
    }

    private static double[] data(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian() * 3;
        }
        return x;
    }

    @Test
    void everyKernelIsBitIdenticalForOneTwoAndFourThreads() {
        for (DType dt : DType.values()) {
            double[] x = data(100_003, 1);
            double[] y = data(100_003, 2);
            for (UnaryKernel f : UnaryKernel.values()) {
                assertSameBitsForAnyThreadCount("unary " + f + " " + dt, be -> {
                    Storage out = be.allocate(dt, x.length);
                    be.unary(f, 0.5, be.upload(dt, x), out);
                    return be.download(out);
                });
            }
            int rows = 301, cols = 517;
            double[] m = data(rows * cols, 3);
            double[] bias = data(cols, 4);
            ElementwisePlan plan = ElementwisePlan.of(new int[] {rows, cols}, new int[] {cols, 1}, new int[] {0, 1});
            for (BinaryKernel f : BinaryKernel.values()) {
                assertSameBitsForAnyThreadCount("binary " + f + " " + dt, be -> {
                    Storage out = be.allocate(dt, rows * cols);
                    be.binary(f, be.upload(dt, m), be.upload(dt, bias), out, plan);
                    return be.download(out);
                });
            }
            ElementwisePlan wplan = ElementwisePlan.of(new int[] {rows, cols}, new int[] {cols, 1}, new int[] {1, rows}, new int[] {0, 1});
            assertSameBitsForAnyThreadCount("where " + dt, be -> {
                Storage out = be.allocate(dt, rows * cols);
                be.where(be.upload(dt, m), be.upload(dt, data(rows * cols, 5)), be.upload(dt, bias), out, wplan);
                return be.download(out);
            });
            List<ReducePlan> plans = new ArrayList<>();
            plans.add(ReducePlan.of(new int[] {x.length}, new boolean[] {true}));
            plans.add(ReducePlan.of(new int[] {rows, cols}, new boolean[] {true, false}));
            plans.add(ReducePlan.of(new int[] {rows, cols}, new boolean[] {false, true}));
            plans.add(ReducePlan.of(new int[] {7, 43, cols}, new boolean[] {true, false, true}));
            for (ReduceKernel kind : ReduceKernel.values()) {
                for (ReducePlan rp : plans) {
                    double[] in = rp.outer() * rp.inner() == x.length ? x : m;
                    double[] src = rp.keptDims().length == 2 ? data(7 * 43 * cols, 6) : in;
                    assertSameBitsForAnyThreadCount("reduce " + kind + " " + dt, be -> {
                        Storage out = be.allocate(dt, rp.outer());
                        be.reduce(kind, be.upload(dt, src), out, rp);
                        return be.download(out);
                    });
                }
            }
            for (int trans = 0; trans < 4; trans++) {
                MatmulPlan mp = new MatmulPlan(2, 203, 301, 270, (trans & 1) != 0, (trans & 2) != 0,
                        new int[] {0, 203 * 270}, new int[] {0, 0});
                double[] a = data(2 * 203 * 270, 7);
                double[] b = data(270 * 301, 8);
                assertSameBitsForAnyThreadCount("matmul trans=" + trans + " " + dt, be -> {
                    Storage c = be.allocate(dt, 2 * 203 * 301);
                    be.matmul(be.upload(dt, a), be.upload(dt, b), c, mp);
                    return be.download(c);
                });
            }
            ConvGeometry g = new ConvGeometry(4, 8, 30, 30, 3, 3, 1, 1, 1);
            double[] img = data(4 * 8 * 30 * 30, 9);
            double[] colsData = data(4 * g.colRows() * g.colCols(), 10);
            assertSameBitsForAnyThreadCount("im2col " + dt, be -> {
                Storage c = be.allocate(dt, colsData.length);
                be.im2col(be.upload(dt, img), c, g);
                return be.download(c);
            });
            assertSameBitsForAnyThreadCount("col2im " + dt, be -> {
                Storage o = be.allocate(dt, img.length);
                be.col2im(be.upload(dt, colsData), o, g);
                return be.download(o);
            });
            // enough output columns and k-blocks for several tasks of both conv kernels
            int outChannels = 40;
            double[] weight = data(outChannels * g.colRows(), 11);
            double[] gradOut = data(4 * outChannels * g.colCols(), 12);
            assertSameBitsForAnyThreadCount("conv2d " + dt, be -> {
                Storage o = be.allocate(dt, 4 * outChannels * g.colCols());
                be.conv2d(be.upload(dt, img), be.upload(dt, weight), be.upload(dt, data(outChannels, 16)), o, g, outChannels);
                return be.download(o);
            });
            assertSameBitsForAnyThreadCount("conv2dWeightGrad " + dt, be -> {
                Storage o = be.allocate(dt, weight.length);
                be.conv2dWeightGrad(be.upload(dt, img), be.upload(dt, gradOut), o, g, outChannels);
                return be.download(o);
            });
            GroupNormPlan gn = new GroupNormPlan(6, 16, 4, 900, 1e-5);
            double[] gnx = data(gn.numel(), 13);
            double[] gng = data(gn.numel(), 14);
            double[] gnw = data(16, 15);
            assertSameBitsForAnyThreadCount("groupNorm " + dt, be -> {
                Storage normed = be.allocate(dt, gn.numel());
                Storage mean = be.allocate(dt, gn.count());
                Storage rstd = be.allocate(dt, gn.count());
                Storage w = be.upload(dt, gnw);
                Storage xs = be.upload(dt, gnx);
                be.groupNorm(xs, w, w, normed, mean, rstd, gn);
                Storage dx = be.allocate(dt, gn.numel());
                Storage dw = be.allocate(dt, 16);
                Storage db = be.allocate(dt, 16);
                be.groupNormBackward(xs, w, mean, rstd, be.upload(dt, gng), dx, dw, db, gn);
                double[] out = new double[gn.numel() * 2 + 32];
                System.arraycopy(be.download(normed), 0, out, 0, gn.numel());
                System.arraycopy(be.download(dx), 0, out, gn.numel(), gn.numel());
                System.arraycopy(be.download(dw), 0, out, 2 * gn.numel(), 16);
                System.arraycopy(be.download(db), 0, out, 2 * gn.numel() + 16, 16);
                return out;
            });
            double[] ap0 = data(100_003, 18);
            double[] ag0 = data(100_003, 19);
            assertSameBitsForAnyThreadCount("siluBackward " + dt, be -> {
                Storage o = be.allocate(dt, ap0.length);
                be.siluBackward(be.upload(dt, ap0), be.upload(dt, ag0), o);
                return be.download(o);
            });
            double[] ap = data(100_003, 16);
            double[] ag = data(100_003, 17);
            assertSameBitsForAnyThreadCount("adamStep " + dt, be -> {
                Storage param = be.upload(dt, ap);
                Storage avg = be.allocate(dt, ap.length);
                Storage avgSq = be.allocate(dt, ap.length);
                for (int t = 1; t <= 2; t++) {
                    be.adamStep(param, be.upload(dt, ag), avg, avgSq, new AdamPlan(1e-3, 0.9, 0.999, 1e-8, 0.01, true, t));
                }
                double[] out = new double[3 * ap.length];
                System.arraycopy(be.download(param), 0, out, 0, ap.length);
                System.arraycopy(be.download(avg), 0, out, ap.length, ap.length);
                System.arraycopy(be.download(avgSq), 0, out, 2 * ap.length, ap.length);
                return out;
            });
            for (RandomKind kind : RandomKind.values()) {
                assertSameBitsForAnyThreadCount("random " + kind + " " + dt, be -> {
                    Storage o = be.allocate(dt, 100_003);
                    be.random(kind, 42L, 17L, o);
                    return be.download(o);
                });
            }
        }
    }
}
