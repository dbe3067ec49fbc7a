package dev.distillery.autograd.simd;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.backend.AdamPlan;
import dev.distillery.autograd.backend.BinaryKernel;
import dev.distillery.autograd.backend.ConvGeometry;
import dev.distillery.autograd.backend.PoolGeometry;
import dev.distillery.autograd.backend.ElementwisePlan;
import dev.distillery.autograd.backend.GroupNormPlan;
import dev.distillery.autograd.backend.MatmulPlan;
import dev.distillery.autograd.backend.RandomKind;
import dev.distillery.autograd.backend.ReduceKernel;
import dev.distillery.autograd.backend.ReducePlan;
import dev.distillery.autograd.backend.Storage;
import dev.distillery.autograd.backend.StridedView;
import dev.distillery.autograd.backend.UnaryKernel;
import dev.distillery.autograd.cpu.HostBackend;
import dev.distillery.autograd.cpu.HostStorage;
import dev.distillery.autograd.random.PhiloxStream;
import java.util.function.IntConsumer;
import java.util.function.IntToDoubleFunction;

/**
 * The fast CPU backend: {@code jdk.incubator.vector} kernels ({@link SimdKernelsF64} and its
 * generated F32 twin) run on the caller and {@code threads - 1} helper threads ({@link TaskTeam}).
 *
 * <p>Determinism: work is cut into tasks whose boundaries depend only on the problem (never on the
 * thread count): elementwise kernels in chunks of {@link #CHUNK} elements, reductions one output
 * (or one fixed block of a long row) per unit, matmul packs its operands (pure copies: B once up
 * front in fixed (column block, k-block) pieces; A up front in fixed (row block, k-block)
 * pieces, or by each task for its own rows a k-block at a time) and computes one MC x NC tile of
 * C per task with the whole k loop inside (the convolution's weight gradient shares its column
 * panels out by the thread count, but each element still sums its k-blocks in the same order).
 * Threads take tasks dynamically, but each task's arithmetic is fixed, so the
 * results are bit-identical for 1, 2, 4, ... threads. Work below {@link #CHUNK} elements (or
 * {@link #MATMUL_INLINE_FLOPS}) runs on the calling thread; the same code, so the same bits.
 *
 * <p>Accuracy against {@code ScalarBackend}: +, -, *, /, sqrt, min, max, comparisons, where and
 * the movement kernels are exact (equal to the oracle's once-rounded double result); log, sin,
 * cos, tanh, softplus, erf, pow call the oracle's definition per element (equal); exp and sigmoid
 * are within 2 ulp (hand-written vector exp); rsqrt within 1 ulp; sums and matmul differ only by
 * the accumulation order and precision (bounds in the kernels and the conformance test).
 */
public final class SimdBackend extends HostBackend {
    /** Elements per elementwise task; a multiple of every vector length. */
    static final int CHUNK = 1 << 14;
    /** Products smaller than this many flops run inline on the caller. */
    static final long MATMUL_INLINE_FLOPS = 1L << 20;

    private final int threads;
    private final TaskTeam team;

    /** A backend computing with {@code threads} threads: the caller plus {@code threads - 1} helpers. */
    public SimdBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("SimdBackend: threads = " + threads + "; use 1 or more");
        }
        this.threads = threads;
        this.team = threads == 1 ? null : new TaskTeam("distillery-simd", threads - 1);
    }

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body(0..tasks-1)}, each task exactly once, on up to {@code threads} threads (the
     * caller included); inline when {@code parallel} is false, there is one task, or the caller
     * asked for {@link Backends#callerThreadOnly()}.
     */
    void run(int tasks, boolean parallel, IntConsumer body) {
        if (team == null || !parallel || tasks <= 1 || Backends.isCallerThreadOnly()) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        team.run(tasks, body);
    }

    /** Runs {@code body(from, to)} over fixed CHUNK-sized pieces of [0, n). */
    private void chunks(int n, ChunkBody body) {
        int tasks = Math.max(1, SimdKernelsF64.ceilDiv(n, CHUNK));
        run(tasks, n > CHUNK, t -> body.run(t * CHUNK, Math.min(n, (t + 1) * CHUNK)));
    }

    @FunctionalInterface
    private interface ChunkBody {
        void run(int from, int to);
    }

    private static boolean f32(HostStorage s) {
        return s.dtype() == DType.F32;
    }

    /** For kernels over operands of one size: the dtypes agree and so do the sizes. */
    private static void sameDtypeAndSize(String kernel, HostStorage... s) {
        sameDtype(kernel, s);
        for (HostStorage x : s) {
            if (x.size() != s[0].size()) {
                StringBuilder sizes = new StringBuilder();
                for (HostStorage y : s) {
                    sizes.append(sizes.length() == 0 ? "" : ", ").append(y.size());
                }
                throw new IllegalArgumentException(kernel + ": operands of sizes " + sizes + "; they must have one size");
            }
        }
    }

    private static void sameDtype(String kernel, HostStorage... s) {
        for (HostStorage x : s) {
            if (x.dtype() != s[0].dtype()) {
                throw new IllegalArgumentException(kernel + ": operands have dtypes " + s[0].dtype() + " and "
                        + x.dtype() + "; cast them to one dtype first");
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // compute kernels

    @Override
    public void unary(UnaryKernel f, double param, Storage in, Storage out) {
        HostStorage x = HostStorage.of(in);
        HostStorage y = HostStorage.of(out);
        sameDtype("unary " + f, x, y);
        if (f32(x)) {
            float[] a = x.f32(), o = y.f32();
            chunks(y.size(), (from, to) -> SimdKernelsF32.unary(f, param, a, o, from, to));
        } else {
            double[] a = x.f64(), o = y.f64();
            chunks(y.size(), (from, to) -> SimdKernelsF64.unary(f, param, a, o, from, to));
        }
    }

    @Override
    public void binary(BinaryKernel f, Storage a, Storage b, Storage out, ElementwisePlan plan) {
        HostStorage x = HostStorage.of(a);
        HostStorage y = HostStorage.of(b);
        HostStorage o = HostStorage.of(out);
        sameDtype("binary " + f, x, y, o);
        if (f32(o)) {
            float[] xa = x.f32(), ya = y.f32(), oa = o.f32();
            chunks(plan.numel(), (from, to) -> SimdKernelsF32.binary(f, xa, ya, oa, plan, from, to));
        } else {
            double[] xa = x.f64(), ya = y.f64(), oa = o.f64();
            chunks(plan.numel(), (from, to) -> SimdKernelsF64.binary(f, xa, ya, oa, plan, from, to));
        }
    }

    @Override
    public void where(Storage cond, Storage a, Storage b, Storage out, ElementwisePlan plan) {
        HostStorage c = HostStorage.of(cond);
        HostStorage x = HostStorage.of(a);
        HostStorage y = HostStorage.of(b);
        HostStorage o = HostStorage.of(out);
        sameDtype("where", c, x, y, o);
        if (f32(o)) {
            float[] ca = c.f32(), xa = x.f32(), ya = y.f32(), oa = o.f32();
            chunks(plan.numel(), (from, to) -> SimdKernelsF32.where(ca, xa, ya, oa, plan, from, to));
        } else {
            double[] ca = c.f64(), xa = x.f64(), ya = y.f64(), oa = o.f64();
            chunks(plan.numel(), (from, to) -> SimdKernelsF64.where(ca, xa, ya, oa, plan, from, to));
        }
    }

    /**
     * Contiguous rows (the reduced elements of an output adjacent) are reduced by
     * {@code reduceBlock} in blocks of REDUCE_BLOCK whose partials are combined in order; other
     * layouts reduce each output sequentially in increasing r, vectorised across adjacent
     * outputs. Which path an output takes depends on the plan only.
     */
    @Override
    public void reduce(ReduceKernel kind, Storage in, Storage out, ReducePlan plan) {
        HostStorage x = HostStorage.of(in);
        HostStorage y = HostStorage.of(out);
        sameDtype("reduce " + kind, x, y);
        int outer = plan.outer();
        int inner = plan.inner();
        if (inner == 0) {
            fill(out, kind == ReduceKernel.SUM ? 0.0 : Double.NEGATIVE_INFINITY);
            return;
        }
        boolean work = (long) outer * inner > CHUNK;
        if (plan.innerContiguous()) {
            int bl = SimdKernelsF64.REDUCE_BLOCK;
            int blocks = SimdKernelsF64.ceilDiv(inner, bl);
            if (blocks == 1) {
                // one output per unit, grouped into tasks of about CHUNK input elements
                int per = Math.max(1, CHUNK / inner);
                run(SimdKernelsF64.ceilDiv(outer, per), work, t -> {
                    for (int o = t * per; o < Math.min(outer, (t + 1) * per); o++) {
                        if (f32(x)) {
                            y.f32()[o] = SimdKernelsF32.reduceBlock(kind, x.f32(), plan.base(o), inner);
                        } else {
                            y.f64()[o] = SimdKernelsF64.reduceBlock(kind, x.f64(), plan.base(o), inner);
                        }
                    }
                });
            } else if (f32(x)) {
                float[] xa = x.f32();
                float[] partial = new float[outer * blocks];
                run(outer * blocks, work, t -> {
                    int o = t / blocks, q = t % blocks;
                    partial[t] = SimdKernelsF32.reduceBlock(kind, xa, plan.base(o) + q * bl, Math.min(bl, inner - q * bl));
                });
                for (int o = 0; o < outer; o++) {
                    y.f32()[o] = SimdKernelsF32.combine(kind, partial, o * blocks, blocks);
                }
            } else {
                double[] xa = x.f64();
                double[] partial = new double[outer * blocks];
                run(outer * blocks, work, t -> {
                    int o = t / blocks, q = t % blocks;
                    partial[t] = SimdKernelsF64.reduceBlock(kind, xa, plan.base(o) + q * bl, Math.min(bl, inner - q * bl));
                });
                for (int o = 0; o < outer; o++) {
                    y.f64()[o] = SimdKernelsF64.combine(kind, partial, o * blocks, blocks);
                }
            }
            return;
        }
        int[] roff = new int[inner];
        for (int r = 0; r < inner; r++) {
            roff[r] = plan.offset(r);
        }
        int[] kd = plan.keptDims();
        int[] ks = plan.keptStrides();
        boolean rowsOfOutputs = kd.length > 0 && ks[kd.length - 1] == 1;
        int rowLen = rowsOfOutputs ? kd[kd.length - 1] : 1;
        int rows = outer / rowLen;
        // one task per group of whole output rows, ~CHUNK input elements each
        int rowsPerTask = Math.max(1, (int) Math.min(rows, CHUNK / Math.max(1L, (long) rowLen * inner)));
        // runs of at least a vector are reduced a run at a time (vectorised), else element by element
        int run = rowsOfOutputs ? 1 : SimdKernelsF64.runLength(roff);
        boolean byRuns = run >= (f32(x) ? SimdKernelsF32.L : SimdKernelsF64.L);
        int tasks = SimdKernelsF64.ceilDiv(rows, rowsPerTask);
        run(tasks, work, t -> {
            for (int row = t * rowsPerTask; row < Math.min(rows, (t + 1) * rowsPerTask); row++) {
                int o = row * rowLen;
                int base = plan.base(o);
                if (f32(x)) {
                    if (rowsOfOutputs) {
                        SimdKernelsF32.reduceStrided(kind, x.f32(), base, roff, y.f32(), o, rowLen);
                    } else if (byRuns) {
                        y.f32()[o] = SimdKernelsF32.reduceRuns(kind, x.f32(), base, roff, run);
                    } else {
                        y.f32()[o] = SimdKernelsF32.reduceGather(kind, x.f32(), base, roff);
                    }
                } else {
                    if (rowsOfOutputs) {
                        SimdKernelsF64.reduceStrided(kind, x.f64(), base, roff, y.f64(), o, rowLen);
                    } else if (byRuns) {
                        y.f64()[o] = SimdKernelsF64.reduceRuns(kind, x.f64(), base, roff, run);
                    } else {
                        y.f64()[o] = SimdKernelsF64.reduceGather(kind, x.f64(), base, roff);
                    }
                }
            }
        });
    }

    @Override
    public void matmul(Storage a, Storage b, Storage c, MatmulPlan p) {
        HostStorage x = HostStorage.of(a);
        HostStorage y = HostStorage.of(b);
        HostStorage z = HostStorage.of(c);
        sameDtype("matmul", x, y, z);
        if (p.batch() == 0 || p.m() == 0 || p.n() == 0) {
            return;
        }
        boolean parallel = p.flops() >= MATMUL_INLINE_FLOPS;
        int aPacks = SimdKernelsF64.distinct(p.aOffsets(), p.batch());
        int bPacks = SimdKernelsF64.distinct(p.bOffsets(), p.batch());
        if (f32(z)) {
            float[] xa = x.f32(), ya = y.f32(), za = z.f32();
            boolean inTask = SimdKernelsF32.packsAInTask(p, aPacks);
            float[] ap = inTask ? null : packBuffer32(0, (long) aPacks * p.k() * SimdKernelsF32.paddedM(p));
            float[] bp = packBuffer32(1, (long) bPacks * p.k() * SimdKernelsF32.paddedN(p));
            int at = inTask ? 0 : SimdKernelsF32.packATasks(p, aPacks);
            run(at + SimdKernelsF32.packBTasks(p, bPacks), parallel, t -> {
                if (t < at) {
                    SimdKernelsF32.packATask(xa, p, t, ap);
                } else {
                    SimdKernelsF32.packBTask(ya, p, t - at, bp);
                }
            });
            run(SimdKernelsF32.matmulTasks(p), parallel, t -> SimdKernelsF32.matmulTask(xa, ap, aPacks, bp, bPacks, za, p, t));
        } else {
            double[] xa = x.f64(), ya = y.f64(), za = z.f64();
            boolean inTask = SimdKernelsF64.packsAInTask(p, aPacks);
            double[] ap = inTask ? null : packBuffer64(0, (long) aPacks * p.k() * SimdKernelsF64.paddedM(p));
            double[] bp = packBuffer64(1, (long) bPacks * p.k() * SimdKernelsF64.paddedN(p));
            int at = inTask ? 0 : SimdKernelsF64.packATasks(p, aPacks);
            run(at + SimdKernelsF64.packBTasks(p, bPacks), parallel, t -> {
                if (t < at) {
                    SimdKernelsF64.packATask(xa, p, t, ap);
                } else {
                    SimdKernelsF64.packBTask(ya, p, t - at, bp);
                }
            });
            run(SimdKernelsF64.matmulTasks(p), parallel, t -> SimdKernelsF64.matmulTask(xa, ap, aPacks, bp, bPacks, za, p, t));
        }
    }

    /**
     * Implicit GEMM ({@link SimdConvF32}): the weight packed once, then tasks of NC output columns
     * each lay out their images as column-shifted padded copies and gather their column-matrix
     * blocks from those.
     */
    @Override
    public void conv2d(Storage input, Storage weight, Storage bias, Storage out, ConvGeometry g, int outChannels) {
        HostStorage x = HostStorage.of(input);
        HostStorage w = HostStorage.of(weight);
        HostStorage y = HostStorage.of(out);
        sameDtype("conv2d", x, w, y);
        int k = g.colRows();
        boolean parallel = 2L * outChannels * k * g.batch() * g.colCols() >= MATMUL_INLINE_FLOPS;
        long packed = (long) SimdConvF64.paddedRows(outChannels) * k;
        ShiftTable table = SimdConvF64.inputIsShifted(g) ? null : ShiftTable.of(g);
        if (f32(y)) {
            float[] wp = packBuffer32(0, packed);
            SimdConvF32.packWeight(w.f32(), outChannels, k, wp);
            float[] b = bias == null ? null : HostStorage.of(bias).f32();
            run(SimdConvF32.forwardTasks(g), parallel, t -> SimdConvF32.forwardTask(x.f32(), table, wp, b, y.f32(), g, outChannels, t));
        } else {
            double[] wp = packBuffer64(0, packed);
            SimdConvF64.packWeight(w.f64(), outChannels, k, wp);
            double[] b = bias == null ? null : HostStorage.of(bias).f64();
            run(SimdConvF64.forwardTasks(g), parallel, t -> SimdConvF64.forwardTask(x.f64(), table, wp, b, y.f64(), g, outChannels, t));
        }
    }

    /**
     * Implicit GEMM ({@link SimdConvF32}): the output gradient is packed once as {@code [O, B L]}
     * and the input zero-padded once in channels-last order, then tasks over tiles of dW gather
     * their blocks of {@code cols^T} from it; the columns of dW are reordered at the end. A single
     * task pads each k-block's images as it reaches them instead ({@code padsPerBlock}); the
     * gathered values are the same either way.
     */
    @Override
    public void conv2dWeightGrad(Storage input, Storage gradOut, Storage weightGrad, ConvGeometry g, int outChannels) {
        HostStorage x = HostStorage.of(input);
        HostStorage gy = HostStorage.of(gradOut);
        HostStorage dw = HostStorage.of(weightGrad);
        sameDtype("conv2dWeightGrad", x, gy, dw);
        int inner = g.batch() * g.colCols();
        if (inner == 0) {
            fill(weightGrad, 0.0);                          // an empty sum (no image, or no output position)
            return;
        }
        boolean parallel = 2L * outChannels * g.colRows() * inner >= MATMUL_INLINE_FLOPS;
        long packed = (long) SimdConvF64.paddedRows(outChannels) * inner;
        int images = g.batch();
        int groups = parallel ? Math.min(threads, SimdConvF64.weightGradPanels(g)) : 1;
        boolean perBlock = SimdConvF64.padsPerBlock(g, outChannels, groups);
        if (f32(dw)) {
            float[] xpl = perBlock ? null : packBuffer32(1, SimdConvF64.paddedSize(g));
            if (!perBlock) {
                int[] lanes = SimdConvF32.channelLanes(g);
                run(images, parallel, b -> SimdConvF32.padImageChannelsLast(x.f32(), g, lanes, xpl, b, b));
            }
            float[] ap = packBuffer32(0, packed);
            int[] gradLanes = SimdConvF32.outputGradLanes(g);
            run(SimdConvF32.outputGradBlocks(g), parallel, t -> SimdConvF32.packOutputGrad(gy.f32(), outChannels, g, gradLanes, ap, t));
            float[] dwl = packBuffer32(2, (long) outChannels * g.colRows());
            run(SimdConvF32.weightGradTasks(g, outChannels, groups), parallel,
                    t -> SimdConvF32.weightGradTask(x.f32(), xpl, ap, dwl, g, outChannels, groups, t));
            SimdConvF32.unpermuteWeightGrad(dwl, dw.f32(), g, outChannels);
        } else {
            double[] xpl = perBlock ? null : packBuffer64(1, SimdConvF64.paddedSize(g));
            if (!perBlock) {
                int[] lanes = SimdConvF64.channelLanes(g);
                run(images, parallel, b -> SimdConvF64.padImageChannelsLast(x.f64(), g, lanes, xpl, b, b));
            }
            double[] ap = packBuffer64(0, packed);
            int[] gradLanes = SimdConvF64.outputGradLanes(g);
            run(SimdConvF64.outputGradBlocks(g), parallel, t -> SimdConvF64.packOutputGrad(gy.f64(), outChannels, g, gradLanes, ap, t));
            double[] dwl = packBuffer64(2, (long) outChannels * g.colRows());
            run(SimdConvF64.weightGradTasks(g, outChannels, groups), parallel,
                    t -> SimdConvF64.weightGradTask(x.f64(), xpl, ap, dwl, g, outChannels, groups, t));
            SimdConvF64.unpermuteWeightGrad(dwl, dw.f64(), g, outChannels);
        }
    }

    /** Fused ({@link SimdGroupNormF32}): one task per (image, group). */
    @Override
    public void groupNorm(Storage x, Storage weight, Storage bias, Storage y, Storage mean, Storage rstd, GroupNormPlan p) {
        HostStorage xs = HostStorage.of(x);
        HostStorage ys = HostStorage.of(y);
        HostStorage ms = HostStorage.of(mean);
        HostStorage rs = HostStorage.of(rstd);
        HostStorage ws = weight == null ? null : HostStorage.of(weight);
        HostStorage bs = bias == null ? null : HostStorage.of(bias);
        sameDtype("groupNorm", xs, ys, ms, rs);
        boolean parallel = p.numel() > CHUNK;
        if (f32(xs)) {
            float[] w = ws == null ? null : ws.f32();
            float[] b = bs == null ? null : bs.f32();
            run(p.count(), parallel, t -> SimdGroupNormF32.forwardGroup(xs.f32(), w, b, ys.f32(), ms.f32(), rs.f32(), p, t));
        } else {
            double[] w = ws == null ? null : ws.f64();
            double[] b = bs == null ? null : bs.f64();
            run(p.count(), parallel, t -> SimdGroupNormF64.forwardGroup(xs.f64(), w, b, ys.f64(), ms.f64(), rs.f64(), p, t));
        }
    }

    /**
     * Fused ({@link SimdGroupNormF32}): one task per (image, group), then the per-channel sums in
     * image order. The lane partials live in this thread's pack buffers: every slot is written
     * before it is read.
     */
    @Override
    public void groupNormBackward(Storage x, Storage weight, Storage mean, Storage rstd, Storage gradOut,
                                  Storage gradIn, Storage gradWeight, Storage gradBias, GroupNormPlan p) {
        HostStorage xs = HostStorage.of(x);
        HostStorage ms = HostStorage.of(mean);
        HostStorage rs = HostStorage.of(rstd);
        HostStorage gs = HostStorage.of(gradOut);
        HostStorage ws = weight == null ? null : HostStorage.of(weight);
        HostStorage dxs = gradIn == null ? null : HostStorage.of(gradIn);
        sameDtype("groupNormBackward", xs, ms, rs, gs);
        boolean parallel = p.numel() > CHUNK;
        if (f32(xs)) {
            float[] w = ws == null ? null : ws.f32();
            float[] dx = dxs == null ? null : dxs.f32();
            float[] pw = gradWeight == null ? null : packBuffer32(0, SimdGroupNormF32.partialLength(p));
            float[] pb = gradBias == null ? null : packBuffer32(1, SimdGroupNormF32.partialLength(p));
            run(p.count(), parallel, t -> SimdGroupNormF32.backwardGroup(xs.f32(), w, ms.f32(), rs.f32(), gs.f32(), dx, pw, pb, p, t));
            if (pw != null) {
                SimdGroupNormF32.sumOverImages(pw, HostStorage.of(gradWeight).f32(), p);
            }
            if (pb != null) {
                SimdGroupNormF32.sumOverImages(pb, HostStorage.of(gradBias).f32(), p);
            }
        } else {
            double[] w = ws == null ? null : ws.f64();
            double[] dx = dxs == null ? null : dxs.f64();
            double[] pw = gradWeight == null ? null : packBuffer64(0, SimdGroupNormF64.partialLength(p));
            double[] pb = gradBias == null ? null : packBuffer64(1, SimdGroupNormF64.partialLength(p));
            run(p.count(), parallel, t -> SimdGroupNormF64.backwardGroup(xs.f64(), w, ms.f64(), rs.f64(), gs.f64(), dx, pw, pb, p, t));
            if (pw != null) {
                SimdGroupNormF64.sumOverImages(pw, HostStorage.of(gradWeight).f64(), p);
            }
            if (pb != null) {
                SimdGroupNormF64.sumOverImages(pb, HostStorage.of(gradBias).f64(), p);
            }
        }
    }

    /** Fused: one pass, the derivative rounded before the product as in the composed form. */
    @Override
    public void siluBackward(Storage x, Storage gradOut, Storage gradIn) {
        HostStorage xs = HostStorage.of(x);
        HostStorage gs = HostStorage.of(gradOut);
        HostStorage ys = HostStorage.of(gradIn);
        sameDtypeAndSize("siluBackward (input, gradient, result)", xs, gs, ys);
        int n = xs.size();
        if (f32(xs)) {
            chunks(n, (from, to) -> SimdKernelsF32.siluBackward(xs.f32(), gs.f32(), ys.f32(), from, to));
        } else {
            chunks(n, (from, to) -> SimdKernelsF64.siluBackward(xs.f64(), gs.f64(), ys.f64(), from, to));
        }
    }

    /** Fused ({@link SimdAdamF32}): one pass, CHUNK-sized tasks; bit-identical to the composed default. */
    @Override
    public void adamStep(Storage param, Storage grad, Storage expAvg, Storage expAvgSq, AdamPlan plan) {
        HostStorage ps = HostStorage.of(param);
        HostStorage gs = HostStorage.of(grad);
        HostStorage ms = HostStorage.of(expAvg);
        HostStorage vs = HostStorage.of(expAvgSq);
        sameDtypeAndSize("adamStep (parameter, gradient, moments)", ps, gs, ms, vs);
        int n = ps.size();
        if (f32(ps)) {
            chunks(n, (from, to) -> SimdAdamF32.update(ps.f32(), gs.f32(), ms.f32(), vs.f32(), plan, from, to));
        } else {
            chunks(n, (from, to) -> SimdAdamF64.update(ps.f64(), gs.f64(), ms.f64(), vs.f64(), plan, from, to));
        }
    }

    /** Packed-operand buffers of the calling thread, grown on demand (larger ones are not kept). */
    private static final ThreadLocal<float[][]> PACK32 = ThreadLocal.withInitial(() -> new float[3][0]);
    private static final ThreadLocal<double[][]> PACK64 = ThreadLocal.withInitial(() -> new double[3][0]);
    private static final long PACK_KEEP = 1L << 24;

    private static float[] packBuffer32(int which, long n) {
        float[][] b = PACK32.get();
        if (b[which].length >= n) {
            return b[which];
        }
        float[] a = new float[Math.toIntExact(n)];
        if (n <= PACK_KEEP) {
            b[which] = a;
        }
        return a;
    }

    private static double[] packBuffer64(int which, long n) {
        double[][] b = PACK64.get();
        if (b[which].length >= n) {
            return b[which];
        }
        double[] a = new double[Math.toIntExact(n)];
        if (n <= PACK_KEEP) {
            b[which] = a;
        }
        return a;
    }

    // ---------------------------------------------------------------------------------------
    // movement kernels, parallel where the outputs of tasks are disjoint

    @Override
    public void cast(Storage in, Storage out) {
        HostStorage a = HostStorage.of(in);
        HostStorage o = HostStorage.of(out);
        if (a.dtype() == o.dtype()) {
            chunks(o.size(), (from, to) -> {
                if (f32(a)) {
                    System.arraycopy(a.f32(), from, o.f32(), from, to - from);
                } else {
                    System.arraycopy(a.f64(), from, o.f64(), from, to - from);
                }
            });
        } else if (f32(a)) {
            float[] s = a.f32();
            double[] d = o.f64();
            chunks(o.size(), (from, to) -> {
                for (int i = from; i < to; i++) {
                    d[i] = s[i];
                }
            });
        } else {
            double[] s = a.f64();
            float[] d = o.f32();
            chunks(o.size(), (from, to) -> {
                for (int i = from; i < to; i++) {
                    d[i] = (float) s[i];
                }
            });
        }
    }

    /**
     * Non-accumulating copies run in parallel chunks of the element order, with whole innermost
     * runs moved by {@code System.arraycopy} when both views are unit-stride there; accumulating
     * copies may alias (stride-0 destinations) and keep the sequential row-major order. Both walk
     * the views, coalesced into their longest common runs ({@link StridedView#coalesced}), with an
     * index odometer (offsets updated incrementally, no division per element).
     */
    @Override
    public void copy(Storage src, StridedView from, Storage dst, StridedView to, boolean accumulate) {
        HostStorage s = HostStorage.of(src);
        HostStorage d = HostStorage.of(dst);
        int r = from.dims().length;
        if (s.dtype() != d.dtype() || r == 0) {
            super.copy(src, from, dst, to, accumulate);
            return;
        }
        int n = from.numel();
        if (n == 0) {
            return;
        }
        StridedView[] runs = StridedView.coalesced(from, to);
        if (accumulate) {
            copyRange(s, runs[0], d, runs[1], 0, n, true);
            return;
        }
        chunks(n, (lo, hi) -> copyRange(s, runs[0], d, runs[1], lo, hi, false));
    }

    /** Elements [lo, hi) of the row-major order of {@code from}'s dims: {@code d = s} or {@code d += s}. */
    private static void copyRange(HostStorage s, StridedView from, HostStorage d, StridedView to, int lo, int hi,
                                  boolean acc) {
        int[] dims = from.dims();
        int[] fs = from.strides();
        int[] ts = to.strides();
        int r = dims.length;
        int[] idx = new int[r];
        int si = from.offset();
        int di = to.offset();
        int lin = lo;
        for (int k = r - 1; k >= 0; k--) {
            idx[k] = lin % dims[k];
            lin /= dims[k];
            si += idx[k] * fs[k];
            di += idx[k] * ts[k];
        }
        int last = r - 1;
        int inner = dims[last];
        int sIn = fs[last];
        int dIn = ts[last];
        boolean f32 = f32(s);
        float[] sf = f32 ? s.f32() : null;
        float[] df = f32 ? d.f32() : null;
        double[] sd = f32 ? null : s.f64();
        double[] dd = f32 ? null : d.f64();
        int i = lo;
        while (i < hi) {
            int len = Math.min(inner - idx[last], hi - i);
            if (!acc && sIn == 1 && dIn == 1) {
                if (f32) {
                    System.arraycopy(sf, si, df, di, len);
                } else {
                    System.arraycopy(sd, si, dd, di, len);
                }
            } else if (f32) {
                if (acc) {
                    for (int q = 0; q < len; q++) {
                        df[di + q * dIn] += sf[si + q * sIn];
                    }
                } else {
                    for (int q = 0; q < len; q++) {
                        df[di + q * dIn] = sf[si + q * sIn];
                    }
                }
            } else {
                if (acc) {
                    for (int q = 0; q < len; q++) {
                        dd[di + q * dIn] += sd[si + q * sIn];
                    }
                } else {
                    for (int q = 0; q < len; q++) {
                        dd[di + q * dIn] = sd[si + q * sIn];
                    }
                }
            }
            i += len;
            idx[last] += len;
            si += len * sIn;
            di += len * dIn;
            for (int k = last; k > 0 && idx[k] >= dims[k]; k--) {
                si += fs[k - 1] - idx[k] * fs[k];
                di += ts[k - 1] - idx[k] * ts[k];
                idx[k] = 0;
                idx[k - 1]++;
            }
        }
    }

    @Override
    public void indexSelect(Storage src, int outer, int axisLen, int inner, int[] index, Storage out) {
        HostStorage s = HostStorage.of(src);
        HostStorage o = HostStorage.of(out);
        sameDtype("indexSelect", s, o);
        int m = index.length;
        for (int j : index) {
            if (j < 0 || j >= axisLen) {
                throw new IndexOutOfBoundsException("indexSelect: index " + j + " outside [0, " + axisLen + ")");
            }
        }
        int rowsPerTask = Math.max(1, CHUNK / Math.max(1, inner));
        int rows = outer * m;
        run(SimdKernelsF64.ceilDiv(rows, rowsPerTask), (long) rows * inner > CHUNK, t -> {
            for (int row = t * rowsPerTask; row < Math.min(rows, (t + 1) * rowsPerTask); row++) {
                int a = row / m, j = row % m;
                int fromOff = (a * axisLen + index[j]) * inner;
                if (f32(s)) {
                    System.arraycopy(s.f32(), fromOff, o.f32(), row * inner, inner);
                } else {
                    System.arraycopy(s.f64(), fromOff, o.f64(), row * inner, inner);
                }
            }
        });
    }

    /** Parallel over the outer slabs (disjoint outputs); within one, j increases as specified. */
    @Override
    public void indexAdd(Storage src, int outer, int axisLen, int inner, int[] index, Storage dst) {
        HostStorage s = HostStorage.of(src);
        HostStorage d = HostStorage.of(dst);
        sameDtype("indexAdd", s, d);
        int m = index.length;
        run(outer, (long) outer * m * inner > CHUNK, a -> {
            for (int j = 0; j < m; j++) {
                int fromOff = (a * m + j) * inner;
                int toOff = (a * axisLen + index[j]) * inner;
                if (f32(s)) {
                    float[] sa = s.f32(), da = d.f32();
                    for (int i = 0; i < inner; i++) {
                        da[toOff + i] += sa[fromOff + i];
                    }
                } else {
                    double[] sa = s.f64(), da = d.f64();
                    for (int i = 0; i < inner; i++) {
                        da[toOff + i] += sa[fromOff + i];
                    }
                }
            }
        });
    }

    /** Parallel over column-matrix rows: each (image, channel, ky, kx) row is written by one task. */
    @Override
    public void im2col(Storage input, Storage cols, ConvGeometry g) {
        HostStorage in = HostStorage.of(input);
        HostStorage c = HostStorage.of(cols);
        sameDtype("im2col", in, c);
        int total = g.batch() * g.colRows();
        run(total, (long) total * g.colCols() > CHUNK, t -> {
            if (f32(c)) {
                SimdKernelsF32.im2colRow(in.f32(), c.f32(), g, t);
            } else {
                SimdKernelsF64.im2colRow(in.f64(), c.f64(), g, t);
            }
        });
    }

    /**
     * Parallel over (image, channel) planes of the output. A plane receives the rows
     * {@code (ch, ky, kx)} in increasing order and each row touches a pixel at most once, so every
     * pixel sums its contributions in the oracle's order.
     */
    @Override
    public void col2im(Storage cols, Storage output, ConvGeometry g) {
        HostStorage c = HostStorage.of(cols);
        HostStorage out = HostStorage.of(output);
        sameDtype("col2im", c, out);
        int planes = g.batch() * g.channels();
        run(planes, (long) planes * g.kh() * g.kw() * g.colCols() > CHUNK, t -> {
            if (f32(out)) {
                SimdKernelsF32.col2imPlane(c.f32(), out.f32(), g, t);
            } else {
                SimdKernelsF64.col2imPlane(c.f64(), out.f64(), g, t);
            }
        });
    }

    /**
     * Parallel over fixed groups of planes: each window's scan is the oracle's
     * ({@link PoolGeometry#argmax}), so the indices do not depend on the thread count.
     */
    @Override
    public void maxPool2dIndices(Storage input, Storage indices, PoolGeometry g) {
        HostStorage in = HostStorage.of(input);
        HostStorage idx = HostStorage.of(indices);
        sameDtype("maxPool2dIndices", in, idx);
        int oh = g.outHeight(), ow = g.outWidth(), plane = g.planeSize(), windows = oh * ow;
        long work = (long) windows * g.kh() * g.kw();
        int perTask = (int) Math.max(1, Math.min(g.planes(), CHUNK / Math.max(1, work)));
        int planes = g.planes();
        run(SimdKernelsF64.ceilDiv(planes, perTask), work * planes > CHUNK, t -> {
            for (int p = t * perTask; p < Math.min(planes, (t + 1) * perTask); p++) {
                int base = p * plane;
                // a float widens to double exactly and keeps its order and NaN-ness, so one scan
                // serves both dtypes
                IntToDoubleFunction value = f32(in) ? i -> in.f32()[base + i] : i -> in.f64()[base + i];
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int at = (p * oh + oy) * ow + ox;
                        int best = g.argmax(value, oy, ox);
                        if (f32(in)) {
                            idx.f32()[at] = best;
                        } else {
                            idx.f64()[at] = best;
                        }
                    }
                }
            }
        });
    }

    /** Parallel over fixed groups of planes; each output element is one read. */
    @Override
    public void gatherPlanes(Storage src, Storage index, Storage out, int planes, int planeSize) {
        HostStorage s = HostStorage.of(src);
        HostStorage idx = HostStorage.of(index);
        HostStorage o = HostStorage.of(out);
        sameDtype("gatherPlanes", s, idx, o);
        int n = planes == 0 ? 0 : o.size() / planes;
        int perTask = Math.max(1, CHUNK / Math.max(1, n));
        run(SimdKernelsF64.ceilDiv(planes, perTask), (long) planes * n > CHUNK, t -> {
            for (int p = t * perTask; p < Math.min(planes, (t + 1) * perTask); p++) {
                for (int l = p * n; l < (p + 1) * n; l++) {
                    if (f32(o)) {
                        o.f32()[l] = s.f32()[p * planeSize + planeIndex(idx.f32()[l], planeSize)];
                    } else {
                        o.f64()[l] = s.f64()[p * planeSize + planeIndex(idx.f64()[l], planeSize)];
                    }
                }
            }
        });
    }

    /** Parallel over fixed groups of planes (disjoint outputs); within a plane, l increases as specified. */
    @Override
    public void scatterAddPlanes(Storage src, Storage index, Storage dst, int planes, int planeSize) {
        HostStorage s = HostStorage.of(src);
        HostStorage idx = HostStorage.of(index);
        HostStorage d = HostStorage.of(dst);
        sameDtype("scatterAddPlanes", s, idx, d);
        int n = planes == 0 ? 0 : s.size() / planes;
        int perTask = Math.max(1, CHUNK / Math.max(1, n));
        run(SimdKernelsF64.ceilDiv(planes, perTask), (long) planes * n > CHUNK, t -> {
            for (int p = t * perTask; p < Math.min(planes, (t + 1) * perTask); p++) {
                int base = p * planeSize;
                for (int l = p * n; l < (p + 1) * n; l++) {
                    if (f32(d)) {
                        d.f32()[base + planeIndex(idx.f32()[l], planeSize)] += s.f32()[l];
                    } else {
                        d.f64()[base + planeIndex(idx.f64()[l], planeSize)] += s.f64()[l];
                    }
                }
            }
        });
    }


    /** Philox positions are independent, so fixed chunks fill in parallel with the same numbers. */
    @Override
    public void random(RandomKind kind, long key, long offset, Storage out) {
        HostStorage o = HostStorage.of(out);
        chunks(o.size(), (from, to) -> {
            if (f32(o)) {
                PhiloxStream.fill(kind, key, offset + from, o.f32(), from, to);
            } else {
                PhiloxStream.fill(kind, key, offset + from, o.f64(), from, to);
            }
        });
    }

    private static void zero(HostStorage s, int from, int len) {
        if (len <= 0) {
            return;
        }
        if (f32(s)) {
            java.util.Arrays.fill(s.f32(), from, from + len, 0f);
        } else {
            java.util.Arrays.fill(s.f64(), from, from + len, 0.0);
        }
    }

    private static void arraycopy(HostStorage s, int si, HostStorage d, int di, int len) {
        if (f32(s)) {
            System.arraycopy(s.f32(), si, d.f32(), di, len);
        } else {
            System.arraycopy(s.f64(), si, d.f64(), di, len);
        }
    }
}
