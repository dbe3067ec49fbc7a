package dev.distillery.autograd.cpu;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.ConvGeometry;
import dev.distillery.autograd.backend.PoolGeometry;
import dev.distillery.autograd.backend.RandomKind;
import dev.distillery.autograd.backend.Storage;
import dev.distillery.autograd.backend.StridedView;
import dev.distillery.autograd.random.PhiloxStream;

/**
 * What the CPU backends share: heap storage, transfers, and the data-movement kernels (strided
 * copy, gather/scatter, im2col/col2im, random fill) in plain loops. Subclasses supply the
 * arithmetic kernels; the SIMD backend also overrides movement kernels it can run in parallel.
 */
public abstract class HostBackend implements Backend {
    /** Recycled storages: at most an eighth of the maximum heap, and 512 MiB. */
    private final StoragePool pool = new StoragePool(Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 8));

    /** Zeros; from the pool of recycled storages when one of this dtype and length is there. */
    @Override
    public Storage allocate(DType dtype, int n) {
        HostStorage recycled = recycled(dtype, n);
        if (recycled == null) {
            return HostStorage.allocate(this, dtype, n);
        }
        fill(recycled, 0.0);
        return recycled;
    }

    /** From the pool of recycled storages as it was left, when one of this dtype and length is there; else zeros. */
    @Override
    public Storage allocateForOverwrite(DType dtype, int n) {
        HostStorage recycled = recycled(dtype, n);
        return recycled == null ? HostStorage.allocate(this, dtype, n) : recycled;
    }

    /** A pooled storage of this dtype and length under a new identity (the old one may still be named somewhere), or null. */
    private HostStorage recycled(DType dtype, int n) {
        HostStorage s = n >= StoragePool.MIN_LENGTH ? pool.take(dtype, n) : null;
        return s == null ? null : s.rewrapped();
    }

    @Override
    public void recycle(Storage s) {
        if (s instanceof HostStorage h && h.backend() == this) {
            pool.give(h);
        }
    }

    /** Bytes of recycled storages held for reuse (diagnostics). */
    public long pooledBytes() {
        return pool.bytes();
    }

    @Override
    public Storage upload(DType dtype, double[] values) {
        if (dtype == DType.F64) {
            return HostStorage.wrap(this, values.clone());
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return HostStorage.wrap(this, f);
    }

    @Override
    public Storage upload(float[] values) {
        return HostStorage.wrap(this, values.clone());
    }

    @Override
    public double[] download(Storage s) {
        HostStorage h = HostStorage.of(s);
        if (h.dtype() == DType.F64) {
            return h.f64().clone();
        }
        float[] f = h.f32();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Override
    public float[] downloadFloats(Storage s) {
        HostStorage h = HostStorage.of(s);
        if (h.dtype() == DType.F32) {
            return h.f32().clone();
        }
        double[] d = h.f64();
        float[] f = new float[d.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Override
    public double get(Storage s, int index) {
        return HostStorage.of(s).get(index);
    }

    @Override
    public void set(Storage s, int index, double value) {
        HostStorage.of(s).set(index, value);
    }

    @Override
    public void fill(Storage out, double value) {
        HostStorage o = HostStorage.of(out);
        if (o.dtype() == DType.F32) {
            java.util.Arrays.fill(o.f32(), (float) value);
        } else {
            java.util.Arrays.fill(o.f64(), value);
        }
    }

    @Override
    public void cast(Storage in, Storage out) {
        HostStorage a = HostStorage.of(in);
        HostStorage o = HostStorage.of(out);
        int n = o.size();
        for (int i = 0; i < n; i++) {
            o.set(i, a.get(i));
        }
    }

    @Override
    public void copy(Storage src, StridedView from, Storage dst, StridedView to, boolean accumulate) {
        HostStorage s = HostStorage.of(src);
        HostStorage d = HostStorage.of(dst);
        int n = from.numel();
        for (int i = 0; i < n; i++) {
            int si = from.offsetOf(i);
            int di = to.offsetOf(i);
            d.set(di, accumulate ? d.get(di) + s.get(si) : s.get(si));
        }
    }

    @Override
    public void indexSelect(Storage src, int outer, int axisLen, int inner, int[] index, Storage out) {
        HostStorage s = HostStorage.of(src);
        HostStorage o = HostStorage.of(out);
        int m = index.length;
        for (int a = 0; a < outer; a++) {
            for (int j = 0; j < m; j++) {
                int from = (a * axisLen + index[j]) * inner;
                int to = (a * m + j) * inner;
                for (int i = 0; i < inner; i++) {
                    o.set(to + i, s.get(from + i));
                }
            }
        }
    }

    @Override
    public void indexAdd(Storage src, int outer, int axisLen, int inner, int[] index, Storage dst) {
        HostStorage s = HostStorage.of(src);
        HostStorage d = HostStorage.of(dst);
        int m = index.length;
        for (int a = 0; a < outer; a++) {
            for (int j = 0; j < m; j++) {
                int from = (a * m + j) * inner;
                int to = (a * axisLen + index[j]) * inner;
                for (int i = 0; i < inner; i++) {
                    d.set(to + i, d.get(to + i) + s.get(from + i));
                }
            }
        }
    }

    @Override
    public void im2col(Storage input, Storage cols, ConvGeometry g) {
        HostStorage in = HostStorage.of(input);
        HostStorage c = HostStorage.of(cols);
        int oh = g.outHeight(), ow = g.outWidth(), rows = g.colRows(), ncol = g.colCols();
        for (int b = 0; b < g.batch(); b++) {
            for (int r = 0; r < rows; r++) {
                int ch = r / (g.kh() * g.kw());
                int ky = (r / g.kw()) % g.kh();
                int kx = r % g.kw();
                int base = ((b * g.channels() + ch) * g.height()) * g.width();
                int outBase = (b * rows + r) * ncol;
                for (int y = 0; y < oh; y++) {
                    int iy = y * g.stride() - g.padH() + ky;
                    for (int x = 0; x < ow; x++) {
                        int ix = x * g.stride() - g.padW() + kx;
                        boolean inside = iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width();
                        c.set(outBase + y * ow + x, inside ? in.get(base + iy * g.width() + ix) : 0.0);
                    }
                }
            }
        }
    }

    @Override
    public void col2im(Storage cols, Storage output, ConvGeometry g) {
        HostStorage c = HostStorage.of(cols);
        HostStorage out = HostStorage.of(output);
        fill(output, 0.0);
        int oh = g.outHeight(), ow = g.outWidth(), rows = g.colRows(), ncol = g.colCols();
        for (int b = 0; b < g.batch(); b++) {
            for (int r = 0; r < rows; r++) {
                int ch = r / (g.kh() * g.kw());
                int ky = (r / g.kw()) % g.kh();
                int kx = r % g.kw();
                int base = ((b * g.channels() + ch) * g.height()) * g.width();
                int colBase = (b * rows + r) * ncol;
                for (int y = 0; y < oh; y++) {
                    int iy = y * g.stride() - g.padH() + ky;
                    if (iy < 0 || iy >= g.height()) {
                        continue;
                    }
                    for (int x = 0; x < ow; x++) {
                        int ix = x * g.stride() - g.padW() + kx;
                        if (ix >= 0 && ix < g.width()) {
                            int o = base + iy * g.width() + ix;
                            out.set(o, out.get(o) + c.get(colBase + y * ow + x));
                        }
                    }
                }
            }
        }
    }

    @Override
    public void maxPool2dIndices(Storage input, Storage indices, PoolGeometry g) {
        HostStorage in = HostStorage.of(input);
        HostStorage idx = HostStorage.of(indices);
        int oh = g.outHeight(), ow = g.outWidth(), plane = g.planeSize();
        for (int p = 0; p < g.planes(); p++) {
            int base = p * plane;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    idx.set((p * oh + oy) * ow + ox, g.argmax(i -> in.get(base + i), oy, ox));
                }
            }
        }
    }

    @Override
    public void gatherPlanes(Storage src, Storage index, Storage out, int planes, int planeSize) {
        HostStorage s = HostStorage.of(src);
        HostStorage idx = HostStorage.of(index);
        HostStorage o = HostStorage.of(out);
        int n = planes == 0 ? 0 : o.size() / planes;
        for (int p = 0; p < planes; p++) {
            for (int l = 0; l < n; l++) {
                o.set(p * n + l, s.get(p * planeSize + planeIndex(idx.get(p * n + l), planeSize)));
            }
        }
    }

    @Override
    public void scatterAddPlanes(Storage src, Storage index, Storage dst, int planes, int planeSize) {
        HostStorage s = HostStorage.of(src);
        HostStorage idx = HostStorage.of(index);
        HostStorage d = HostStorage.of(dst);
        int n = planes == 0 ? 0 : s.size() / planes;
        for (int p = 0; p < planes; p++) {
            for (int l = 0; l < n; l++) {
                int at = p * planeSize + planeIndex(idx.get(p * n + l), planeSize);
                d.set(at, d.get(at) + s.get(p * n + l));
            }
        }
    }

    /** A stored plane index as an int, refused unless it is an integer in {@code [0, planeSize)}. */
    protected static int planeIndex(double stored, int planeSize) {
        int i = (int) stored;
        if (i != stored || i < 0 || i >= planeSize) {
            throw new IndexOutOfBoundsException("plane index " + stored + " is not an integer in [0, " + planeSize + ")");
        }
        return i;
    }

    @Override
    public void random(RandomKind kind, long key, long offset, Storage out) {
        HostStorage o = HostStorage.of(out);
        int n = o.size();
        if (o.dtype() == DType.F32) {
            PhiloxStream.fill(kind, key, offset, o.f32(), 0, n);
        } else {
            PhiloxStream.fill(kind, key, offset, o.f64(), 0, n);
        }
    }
}
