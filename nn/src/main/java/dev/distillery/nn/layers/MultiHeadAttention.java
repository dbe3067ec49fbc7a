package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

/**
 * Multi-head self-attention over sequences {@code [B, N, D]} (Vaswani et al. 2017):
 * {@code Q = x W_q^T + b_q} (likewise K, V), split into heads of size {@code d = D / heads},
 * {@code head = softmax(Q K^T / sqrt(d)) V}, {@code y = concat(heads) W_o^T + b_o}. The
 * projections are separate Linear children {@code q, k, v, o} (PyTorch's
 * {@code nn.MultiheadAttention} packs q, k, v into one {@code in_proj_weight}; split it to load).
 */
public final class MultiHeadAttention extends Module implements Layer {
    private final int dim;
    private final int heads;
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;

    public MultiHeadAttention(int dim, int heads, Init init) {
        if (heads < 1 || dim % heads != 0) {
            throw new IllegalArgumentException("MultiHeadAttention(" + dim + ", heads " + heads
                    + "): heads must divide the dimension");
        }
        this.dim = dim;
        this.heads = heads;
        this.q = registerModule("q", new Linear(dim, dim, init));
        this.k = registerModule("k", new Linear(dim, dim, init));
        this.v = registerModule("v", new Linear(dim, dim, init));
        this.o = registerModule("o", new Linear(dim, dim, init));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 3 || x.dim(2) != dim) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " is not [B, N, " + dim + "]");
        }
        int b = x.dim(0), n = x.dim(1), d = dim / heads;
        Tensor qs = split(q.forward(x), b, n, d);
        Tensor ks = split(k.forward(x), b, n, d);
        Tensor vs = split(v.forward(x), b, n, d);
        Tensor attn = qs.matmul(ks, false, true).mul(1.0 / Math.sqrt(d)).softmax(-1);   // [b, heads, n, n]
        Tensor heads0 = attn.matmul(vs).permute(0, 2, 1, 3).reshape(b, n, dim);
        return o.forward(heads0);
    }

    /** {@code [B, N, D] -> [B, heads, N, d]}. */
    private Tensor split(Tensor t, int b, int n, int d) {
        return t.reshape(b, n, heads, d).permute(0, 2, 1, 3);
    }

    @Override
    protected Module rebuild() {
        return new MultiHeadAttention(dim, heads, Init.of(q.weight().dtype(), 0));
    }

    @Override
    public String toString() {
        return "MultiHeadAttention(" + dim + ", heads " + heads + ")";
    }
}
