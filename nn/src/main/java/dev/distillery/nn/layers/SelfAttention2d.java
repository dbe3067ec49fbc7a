package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

/**
 * Multi-head self-attention over the H W positions of {@code [B, C, H, W]}, residual, as the W3
 * U-Net's {@code Attn} (DDPM's attention block): {@code h = GN(x)}, {@code q, k, v = Conv1x1(h)},
 * per head of size {@code d = C / heads}: {@code A = softmax(q^T k / sqrt(d))} over key positions,
 * {@code out = x + Conv1x1(v A^T)}. Children {@code n, q, k, v, o} as in PyTorch. With one head
 * this is exactly W3's block.
 */
public final class SelfAttention2d extends Module implements Layer {
    private final int channels;
    private final int heads;
    private final int groups;
    private final GroupNorm norm;
    private final Conv2d q;
    private final Conv2d k;
    private final Conv2d v;
    private final Conv2d o;

    public SelfAttention2d(int channels, int heads, int groups, Init init) {
        if (heads < 1 || channels % heads != 0) {
            throw new IllegalArgumentException("SelfAttention2d(" + channels + ", heads " + heads
                    + "): heads must divide the channels");
        }
        this.channels = channels;
        this.heads = heads;
        this.groups = groups;
        this.norm = registerModule("n", new GroupNorm(groups, channels, init));
        this.q = registerModule("q", new Conv2d(channels, channels, 1, 1, 0, init));
        this.k = registerModule("k", new Conv2d(channels, channels, 1, 1, 0, init));
        this.v = registerModule("v", new Conv2d(channels, channels, 1, 1, 0, init));
        this.o = registerModule("o", new Conv2d(channels, channels, 1, 1, 0, init));
    }

    /** The output projection (zero it for an identity block at initialisation). */
    public Conv2d output() {
        return o;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != channels) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " is not [B, "
                    + channels + ", H, W]");
        }
        int b = x.dim(0), hh = x.dim(2), ww = x.dim(3), n = hh * ww, d = channels / heads;
        Tensor h = norm.forward(x);
        Tensor qs = q.forward(h).reshape(b, heads, d, n);
        Tensor ks = k.forward(h).reshape(b, heads, d, n);
        Tensor vs = v.forward(h).reshape(b, heads, d, n);
        Tensor attn = qs.matmul(ks, true, false).mul(1.0 / Math.sqrt(d)).softmax(-1);   // [b, heads, n_q, n_k]
        Tensor out = vs.matmul(attn, false, true).reshape(b, channels, hh, ww);        // v A^T
        return x.add(o.forward(out));
    }

    @Override
    protected Module rebuild() {
        return new SelfAttention2d(channels, heads, groups, Init.of(q.weight().dtype(), 0));
    }

    @Override
    public String toString() {
        return "SelfAttention2d(" + channels + ", heads " + heads + ")";
    }
}
