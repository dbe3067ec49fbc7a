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

/** A deliberately wrong backend: delegates everything, but one unary kernel is off by some ulps. */
final class PerturbedBackend implements Backend {
    private final Backend d;
    private final UnaryKernel broken;
    private final int ulps;

    PerturbedBackend(Backend delegate, UnaryKernel broken, int ulps) {
        this.d = delegate;
        this.broken = broken;
        this.ulps = ulps;
    }

    @Override public String name() { return "perturbed"; }
    @Override public Storage allocate(DType t, int n) { return d.allocate(t, n); }
    @Override public Storage upload(DType t, double[] v) { return d.upload(t, v); }
    @Override public Storage upload(float[] v) { return d.upload(v); }
    @Override public double[] download(Storage s) { return d.download(s); }
    @Override public float[] downloadFloats(Storage s) { return d.downloadFloats(s); }
    @Override public double get(Storage s, int i) { return d.get(s, i); }
    @Override public void set(Storage s, int i, double v) { d.set(s, i, v); }
    @Override public void fill(Storage o, double v) { d.fill(o, v); }
    @Override public void cast(Storage i, Storage o) { d.cast(i, o); }

    @Override
    public void unary(UnaryKernel f, double p, Storage in, Storage out) {
        d.unary(f, p, in, out);
        if (f == broken) {
            for (int i = 0; i < out.size(); i++) {
                double v = d.get(out, i);
                double ulp = out.dtype() == DType.F32 ? Math.ulp((float) v) : Math.ulp(v);
                d.set(out, i, v + ulps * ulp);
            }
        }
    }

    @Override public void binary(BinaryKernel f, Storage a, Storage b, Storage o, ElementwisePlan p) { d.binary(f, a, b, o, p); }
    @Override public void where(Storage c, Storage a, Storage b, Storage o, ElementwisePlan p) { d.where(c, a, b, o, p); }
    @Override public void reduce(ReduceKernel k, Storage i, Storage o, ReducePlan p) { d.reduce(k, i, o, p); }
    @Override public void copy(Storage s, StridedView f, Storage t, StridedView v, boolean acc) { d.copy(s, f, t, v, acc); }
    @Override public void indexSelect(Storage s, int o, int a, int i, int[] x, Storage out) { d.indexSelect(s, o, a, i, x, out); }
    @Override public void indexAdd(Storage s, int o, int a, int i, int[] x, Storage dst) { d.indexAdd(s, o, a, i, x, dst); }
    @Override public void matmul(Storage a, Storage b, Storage c, MatmulPlan p) { d.matmul(a, b, c, p); }
    @Override public void im2col(Storage i, Storage c, ConvGeometry g) { d.im2col(i, c, g); }
    @Override public void col2im(Storage c, Storage o, ConvGeometry g) { d.col2im(c, o, g); }
    @Override public void random(RandomKind k, long key, long off, Storage o) { d.random(k, key, off, o); }
}
