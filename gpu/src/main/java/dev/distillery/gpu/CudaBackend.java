package dev.distillery.gpu;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.BinaryKernel;
import dev.distillery.autograd.backend.ConvGeometry;
import dev.distillery.autograd.backend.ElementwisePlan;
import dev.distillery.autograd.backend.MatmulPlan;
import dev.distillery.autograd.backend.RandomKind;
import dev.distillery.autograd.backend.ReduceKernel;
import dev.distillery.autograd.backend.ReducePlan;
import dev.distillery.autograd.backend.Storage;
import dev.distillery.autograd.backend.StridedView;
import dev.distillery.autograd.backend.UnaryKernel;
import java.lang.ref.Reference;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * The CUDA backend: every kernel of {@link Backend} on one GPU, for F32 and F64 (each CUDA kernel
 * is a template instantiated for both). Data crosses the PCIe bus only in
 * {@code upload}/{@code download}/{@code get}/{@code set}; every other method launches kernels on
 * the device's default stream and returns without waiting.
 *
 * <p>Determinism: no kernel uses atomics or a device-dependent partition. Elementwise kernels are
 * per-element; reductions use a fixed block size and a fixed tree; everything that adds into memory
 * (accumulating copy, indexAdd, col2im) is a gather in which one thread owns one destination and
 * adds in the oracle's order, so those results equal {@code ScalarBackend}'s bit for bit.
 *
 * <p>Memory comes from a {@link DevicePool}; storages return to it on {@link #release} /
 * {@link CudaStorage#close()} or when garbage collected.
 */
public final class CudaBackend implements Backend {
    private final CudaContext ctx;
    private final DevicePool<CUdeviceptr> pool;

    CudaBackend(CudaContext ctx, DevicePool<CUdeviceptr> pool) {
        this.ctx = ctx;
        this.pool = pool;
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** The GPU's name as the driver reports it. */
    public String deviceName() {
        return ctx.deviceName();
    }

    // ---- memory and transfers ----

    private CudaStorage uninitialized(DType dtype, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative storage size " + n);
        }
        return new CudaStorage(this, dtype, n, pool, pool.acquire((long) n * dtype.byteSize()));
    }

    @Override
    public Storage allocate(DType dtype, int n) {
        CudaStorage s = uninitialized(dtype, n);
        if (n > 0) {
            ctx.makeCurrent();
            JCudaDriver.cuMemsetD8(s.pointer(), (byte) 0, s.bytes());
        }
        return s;
    }

    @Override
    public Storage upload(DType dtype, double[] values) {
        if (dtype == DType.F32) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            return upload(f);
        }
        CudaStorage s = uninitialized(DType.F64, values.length);
        toDevice(s, Pointer.to(values));
        return s;
    }

    @Override
    public Storage upload(float[] values) {
        CudaStorage s = uninitialized(DType.F32, values.length);
        toDevice(s, Pointer.to(values));
        return s;
    }

    private void toDevice(CudaStorage s, Pointer host) {
        if (s.size() > 0) {
            ctx.makeCurrent();
            JCudaDriver.cuMemcpyHtoD(s.pointer(), host, s.bytes());
        }
    }

    @Override
    public double[] download(Storage s) {
        CudaStorage c = CudaStorage.of(s);
        double[] d = new double[c.size()];
        if (c.dtype() == DType.F64) {
            toHost(c, Pointer.to(d));
        } else {
            float[] f = new float[c.size()];
            toHost(c, Pointer.to(f));
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
        }
        return d;
    }

    @Override
    public float[] downloadFloats(Storage s) {
        CudaStorage c = CudaStorage.of(s);
        float[] f = new float[c.size()];
        if (c.dtype() == DType.F32) {
            toHost(c, Pointer.to(f));
        } else {
            double[] d = new double[c.size()];
            toHost(c, Pointer.to(d));
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) d[i];
            }
        }
        return f;
    }

    private void toHost(CudaStorage s, Pointer host) {
        if (s.size() > 0) {
            ctx.makeCurrent();
            JCudaDriver.cuMemcpyDtoH(host, s.pointer(), s.bytes());  // waits for queued kernels
        }
    }

    @Override
    public double get(Storage s, int index) {
        CudaStorage c = CudaStorage.of(s);
        PlanPacking.checkIndex(index, c.size(), 0);
        ctx.makeCurrent();
        if (c.dtype() == DType.F64) {
            double[] v = new double[1];
            JCudaDriver.cuMemcpyDtoH(Pointer.to(v), c.pointer(index), 8);
            return v[0];
        }
        float[] v = new float[1];
        JCudaDriver.cuMemcpyDtoH(Pointer.to(v), c.pointer(index), 4);
        return v[0];
    }

    @Override
    public void set(Storage s, int index, double value) {
        CudaStorage c = CudaStorage.of(s);
        PlanPacking.checkIndex(index, c.size(), 0);
        ctx.makeCurrent();
        Pointer host = c.dtype() == DType.F64 ? Pointer.to(new double[] {value}) : Pointer.to(new float[] {(float) value});
        JCudaDriver.cuMemcpyHtoD(c.pointer(index), host, c.dtype().byteSize());
    }

    /** Returns a storage's device memory to the pool now (same as {@link CudaStorage#close()}). */
    public void release(Storage s) {
        CudaStorage.of(s).close();
    }

    /** Frees the pool's cached blocks back to the driver; returns the bytes freed. */
    public long trim() {
        return pool.trim();
    }

    /** The memory pool's counters. */
    public PoolStats poolStats() {
        return pool.stats();
    }

    /** Waits until every queued kernel has finished (for timing; transfers already wait). */
    public void synchronize() {
        ctx.synchronize();
    }

    // ---- elementwise ----

    @Override
    public void fill(Storage out, double value) {
        CudaStorage o = CudaStorage.of(out);
        launch1d("fill_" + suffix(o.dtype()), o.size(), o.pointer(), o.size(), value);
        alive(o);
    }

    @Override
    public void cast(Storage in, Storage out) {
        CudaStorage a = CudaStorage.of(in);
        CudaStorage o = CudaStorage.of(out);
        requireSize(a, o.size(), "cast input");
        if (a.dtype() == o.dtype()) {
            if (o.size() > 0) {
                ctx.makeCurrent();
                JCudaDriver.cuMemcpyDtoD(o.pointer(), a.pointer(), o.bytes());
            }
        } else {
            launch1d("cast_" + suffix(a.dtype()) + "_" + suffix(o.dtype()), o.size(), a.pointer(), o.pointer(), o.size());
        }
        alive(a, o);
    }

    @Override
    public void unary(UnaryKernel f, double param, Storage in, Storage out) {
        CudaStorage a = CudaStorage.of(in);
        CudaStorage o = CudaStorage.of(out);
        sameDtype(o, a);
        requireSize(a, o.size(), "unary input");
        launch1d("unary_" + suffix(o.dtype()), o.size(), f.ordinal(), param, a.pointer(), o.pointer(), o.size());
        alive(a, o);
    }

    @Override
    public void binary(BinaryKernel f, Storage a, Storage b, Storage out, ElementwisePlan plan) {
        CudaStorage x = CudaStorage.of(a), y = CudaStorage.of(b), o = CudaStorage.of(out);
        sameDtype(o, x, y);
        checkPlan(plan, o, x, y);
        launch1d("binary_" + suffix(o.dtype()), plan.numel(), f.ordinal(), x.pointer(), y.pointer(), o.pointer(),
                PlanPacking.elementwise(plan));
        alive(x, y, o);
    }

    @Override
    public void where(Storage cond, Storage a, Storage b, Storage out, ElementwisePlan plan) {
        CudaStorage c = CudaStorage.of(cond), x = CudaStorage.of(a), y = CudaStorage.of(b), o = CudaStorage.of(out);
        sameDtype(o, x, y);
        checkPlan(plan, o, c, x, y);
        String k = "where_" + suffix(o.dtype()) + "_c" + (c.dtype() == DType.F32 ? "32" : "64");
        launch1d(k, plan.numel(), c.pointer(), x.pointer(), y.pointer(), o.pointer(), PlanPacking.elementwise(plan));
        alive(c, x, y, o);
    }

    @Override
    public void reduce(ReduceKernel kind, Storage in, Storage out, ReducePlan plan) {
        CudaStorage a = CudaStorage.of(in), o = CudaStorage.of(out);
        sameDtype(o, a);
        requireSize(o, plan.outer(), "reduce output");
        long hi = PlanPacking.maxOffset(0, plan.keptDims(), plan.keptStrides());
        long hr = PlanPacking.maxOffset(0, plan.reducedDims(), plan.reducedStrides());
        if (plan.outer() == 0) {
            return;
        }
        if (hi >= 0 && hr >= 0 && hi + hr >= a.size()) {
            throw new IndexOutOfBoundsException("reduce plan reads offset " + (hi + hr) + " of a storage of "
                    + a.size() + " elements");
        }
        int[] packed = PlanPacking.reduce(plan);
        String t = suffix(o.dtype());
        if (LaunchConfig.reduceStrategy(plan.outer(), plan.inner()) == LaunchConfig.ReduceStrategy.BLOCK_PER_OUTPUT) {
            ctx.launch("reduce_block_" + t, LaunchConfig.reduceBlocks(plan.outer()), 1, 1,
                    LaunchConfig.REDUCE_THREADS, kind.ordinal(), a.pointer(), o.pointer(), packed);
        } else {
            launch1d("reduce_thread_" + t, plan.outer(), kind.ordinal(), a.pointer(), o.pointer(), packed);
        }
        alive(a, o);
    }

    // ---- data movement ----

    @Override
    public void copy(Storage src, StridedView from, Storage dst, StridedView to, boolean accumulate) {
        CudaStorage s = CudaStorage.of(src), d = CudaStorage.of(dst);
        sameDtype(d, s);
        CopyLayout layout = CopyLayout.of(from, s.size(), to, d.size());
        if (from.numel() == 0) {
            return;
        }
        String t = suffix(d.dtype());
        if (layout.sequential()) {
            ctx.launch("copy_seq_" + t, 1, 1, 1, 1, s.pointer(), d.pointer(), layout.packed(), accumulate ? 1 : 0);
        } else {
            launch1d("copy_" + t, layout.parCount(), s.pointer(), d.pointer(), layout.packed(), accumulate ? 1 : 0);
        }
        alive(s, d);
    }

    @Override
    public void indexSelect(Storage src, int outer, int axisLen, int inner, int[] index, Storage out) {
        CudaStorage s = CudaStorage.of(src), o = CudaStorage.of(out);
        sameDtype(o, s);
        for (int j = 0; j < index.length; j++) {
            PlanPacking.checkIndex(index[j], axisLen, j);
        }
        requireSize(s, (long) outer * axisLen * inner, "indexSelect source");
        long n = (long) outer * index.length * inner;
        requireSize(o, n, "indexSelect output");
        if (n == 0) {
            return;
        }
        DevicePool.Block<CUdeviceptr> idx = uploadInts(index);
        try {
            launch1d("index_select_" + suffix(o.dtype()), n, s.pointer(), outer, axisLen, inner, idx.handle(),
                    index.length, o.pointer());
        } finally {
            pool.release(idx);  // safe at once: later users of the block are ordered after this kernel
        }
        alive(s, o);
    }

    @Override
    public void indexAdd(Storage src, int outer, int axisLen, int inner, int[] index, Storage dst) {
        CudaStorage s = CudaStorage.of(src), d = CudaStorage.of(dst);
        sameDtype(d, s);
        PlanPacking.InverseIndex inv = PlanPacking.inverse(index, axisLen);
        requireSize(s, (long) outer * index.length * inner, "indexAdd source");
        long n = (long) outer * axisLen * inner;
        requireSize(d, n, "indexAdd destination");
        if (n == 0 || index.length == 0) {
            return;
        }
        DevicePool.Block<CUdeviceptr> starts = uploadInts(inv.rowStart());
        DevicePool.Block<CUdeviceptr> rows = uploadInts(inv.rows());
        try {
            launch1d("index_add_" + suffix(d.dtype()), n, s.pointer(), outer, axisLen, inner, starts.handle(),
                    rows.handle(), index.length, d.pointer());
        } finally {
            pool.release(starts);
            pool.release(rows);
        }
        alive(s, d);
    }

    @Override
    public void matmul(Storage a, Storage b, Storage c, MatmulPlan p) {
        GemmLauncher.run(ctx, this, CudaStorage.of(a), CudaStorage.of(b), CudaStorage.of(c), p);
    }

    @Override
    public void im2col(Storage input, Storage cols, ConvGeometry g) {
        CudaStorage in = CudaStorage.of(input), c = CudaStorage.of(cols);
        sameDtype(c, in);
        requireSize(in, (long) g.batch() * g.channels() * g.height() * g.width(), "im2col input");
        long n = (long) g.batch() * g.colRows() * g.colCols();
        requireSize(c, n, "im2col columns");
        launch1d("im2col_" + suffix(c.dtype()), n, in.pointer(), c.pointer(), PlanPacking.conv(g));
        alive(in, c);
    }

    @Override
    public void col2im(Storage cols, Storage output, ConvGeometry g) {
        CudaStorage c = CudaStorage.of(cols), out = CudaStorage.of(output);
        sameDtype(out, c);
        requireSize(c, (long) g.batch() * g.colRows() * g.colCols(), "col2im columns");
        long n = (long) g.batch() * g.channels() * g.height() * g.width();
        requireSize(out, n, "col2im output");
        launch1d("col2im_" + suffix(out.dtype()), n, c.pointer(), out.pointer(), PlanPacking.conv(g));
        alive(c, out);
    }

    @Override
    public void random(RandomKind kind, long key, long offset, Storage out) {
        CudaStorage o = CudaStorage.of(out);
        launch1d("random_" + suffix(o.dtype()), o.size(), kind.ordinal(), key, offset, o.pointer(), o.size());
        alive(o);
    }

    // ---- helpers ----

    /** A pooled device copy of small int metadata (indices, offsets); the caller releases it. */
    DevicePool.Block<CUdeviceptr> uploadInts(int[] values) {
        DevicePool.Block<CUdeviceptr> b = pool.acquire(4L * values.length);
        if (values.length > 0) {
            ctx.makeCurrent();
            JCudaDriver.cuMemcpyHtoD(b.handle(), Pointer.to(values), 4L * values.length);
        }
        return b;
    }

    void releaseInts(DevicePool.Block<CUdeviceptr> b) {
        pool.release(b);
    }

    private void launch1d(String kernel, long n, Object... args) {
        if (n > 0) {
            ctx.launch(kernel, LaunchConfig.blocks(n), 1, 1, LaunchConfig.BLOCK, args);
        }
    }

    static String suffix(DType t) {
        return t == DType.F32 ? "f32" : "f64";
    }

    static void sameDtype(CudaStorage out, CudaStorage... in) {
        for (CudaStorage s : in) {
            if (s.dtype() != out.dtype()) {
                throw new IllegalArgumentException("CUDA kernel operands must share a dtype: " + s.dtype() + " input, "
                        + out.dtype() + " output; cast first");
            }
        }
    }

    static void requireSize(CudaStorage s, long n, String what) {
        if (s.size() < n) {
            throw new IndexOutOfBoundsException(what + " has " + s.size() + " elements, " + n + " needed");
        }
    }

    /** Output holds numel elements and every input offset the plan can produce is inside its storage. */
    private static void checkPlan(ElementwisePlan plan, CudaStorage out, CudaStorage... in) {
        requireSize(out, plan.numel(), "elementwise output");
        for (int i = 0; i < in.length; i++) {
            long hi = PlanPacking.maxOffset(0, plan.dims(), plan.strides()[i]);
            if (plan.numel() > 0 && hi >= in[i].size()) {
                throw new IndexOutOfBoundsException("elementwise plan reads offset " + hi + " of input " + i + " ("
                        + in[i].size() + " elements)");
            }
        }
    }

    /** Keeps storages reachable until their kernels are queued, so no Cleaner frees them mid-call. */
    static void alive(Object... storages) {
        Reference.reachabilityFence(storages);
    }
}
