package dev.distillery.nn.layers;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

/**
 * The transformer/DDPM timestep embedding exactly as W2's {@code timestep_embedding}: with
 * {@code half = dim / 2} and {@code f_k = exp(-ln(P) k / half)}, {@code k = 0..half-1},
 * {@code emb(t) = [sin(t f_0), ..., sin(t f_{half-1}), cos(t f_0), ..., cos(t f_{half-1})]}
 * (sin first; P = 10000). Input {@code t: [B]}, output {@code [B, dim]}. In F32 the frequencies
 * are computed as PyTorch does in float32: {@code (float(-ln P) * k) / half} rounded to float at
 * each step, then exp rounded as PyTorch's float32 kernel rounds it ({@link PyTorchExpF32}), so the
 * frequencies equal PyTorch's bit for bit and the embedding differs only by the last-bit rounding
 * of sin and cos (about 6e-8).
 */
public final class SinusoidalEmbedding extends Module implements Layer {
    private final int dim;
    private final double maxPeriod;

    public SinusoidalEmbedding(int dim) {
        this(dim, 10000.0);
    }

    public SinusoidalEmbedding(int dim, double maxPeriod) {
        if (dim < 2 || dim % 2 != 0) {
            throw new IllegalArgumentException("SinusoidalEmbedding(" + dim + "): dim must be even and >= 2");
        }
        this.dim = dim;
        this.maxPeriod = maxPeriod;
    }

    public int dim() {
        return dim;
    }

    /** The frequencies {@code f_k} rounded as the given dtype computes them. */
    static double[] frequencies(int half, double maxPeriod, DType dtype) {
        double[] f = new double[half];
        float c = (float) -Math.log(maxPeriod);
        for (int k = 0; k < half; k++) {
            f[k] = dtype == DType.F32 ? PyTorchExpF32.exp((c * (float) k) / (float) half)
                    : Math.exp(-Math.log(maxPeriod) * k / half);
        }
        return f;
    }

    @Override
    public Tensor forward(Tensor t) {
        if (t.rank() != 1) {
            throw new IllegalArgumentException(this + ": times must have shape [B], got " + t.shape());
        }
        int half = dim / 2;
        if (!t.requiresGrad()) {
            return constant(t);
        }
        Tensor f = Tensor.of(t.dtype(), frequencies(half, maxPeriod, t.dtype()), 1, half);
        Tensor args = t.unsqueeze(1).mul(f);
        return Tensor.concat(java.util.List.of(args.sin(), args.cos()), 1);
    }

    /** Rows already computed, by dtype and the bits of t (diffusion times repeat: 1000 steps). */
    private final java.util.Map<Long, double[]> rows32 = new java.util.HashMap<>();
    private final java.util.Map<Long, double[]> rows64 = new java.util.HashMap<>();
    private static final int MAX_CACHED_ROWS = 8192;

    /**
     * Times that need no gradient: the same values as the composed ops above (the product
     * {@code t f_k} rounded to the dtype, then the oracle's sin/cos of it rounded to the dtype),
     * computed once per distinct t and reused, instead of {@code 2 B half} scalar sin/cos calls a step.
     */
    private Tensor constant(Tensor t) {
        int half = dim / 2;
        boolean f32 = t.dtype() == DType.F32;
        double[] tv = t.toDoubleArray();
        double[] out = new double[tv.length * dim];
        java.util.Map<Long, double[]> cache = f32 ? rows32 : rows64;
        synchronized (cache) {
            double[] freq = null;
            for (int b = 0; b < tv.length; b++) {
                // the bits of an integer-valued double differ only in their high half, which Long's
                // hash folds onto few buckets; an odd multiplier spreads them (and is invertible)
                long key = Double.doubleToRawLongBits(tv[b]) * 0x9E3779B97F4A7C15L;
                double[] row = cache.get(key);
                if (row == null) {
                    if (freq == null) {
                        freq = frequencies(half, maxPeriod, t.dtype());
                    }
                    row = new double[dim];
                    for (int k = 0; k < half; k++) {
                        double arg = f32 ? (double) ((float) tv[b] * (float) freq[k]) : tv[b] * freq[k];
                        double s = dev.distillery.autograd.backend.UnaryKernel.SIN.apply(arg, 0.0);
                        double c = dev.distillery.autograd.backend.UnaryKernel.COS.apply(arg, 0.0);
                        row[k] = f32 ? (double) (float) s : s;
                        row[half + k] = f32 ? (double) (float) c : c;
                    }
                    if (cache.size() >= MAX_CACHED_ROWS) {
                        cache.clear();
                    }
                    cache.put(key, row);
                }
                System.arraycopy(row, 0, out, b * dim, dim);
            }
        }
        return Tensor.of(t.dtype(), out, tv.length, dim);
    }

    @Override
    protected Module rebuild() {
        return new SinusoidalEmbedding(dim, maxPeriod);
    }

    @Override
    public String toString() {
        return "SinusoidalEmbedding(" + dim + ")";
    }
}
