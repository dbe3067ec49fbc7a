package dev.distillery.nn.models;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Module;
import dev.distillery.nn.layers.Conv2d;
import dev.distillery.nn.layers.GroupNorm;
import dev.distillery.nn.layers.Linear;

/**
 * W3's residual block: {@code h = c1(SiLU(n1(x))) + tp(SiLU(e))[:, :, None, None]},
 * {@code h = c2(SiLU(n2(h)))}, {@code out = skip(x) + h}, where skip is the identity when the
 * channel counts agree and a 1x1 convolution otherwise. Children {@code n1, c1, tp, n2, c2, skip}
 * as in w3_unet.py.
 */
public final class ResBlock extends Module {
    private final int cin;
    private final int cout;
    private final int embDim;
    private final int groups;
    private final GroupNorm n1;
    private final Conv2d c1;
    private final Linear tp;
    private final GroupNorm n2;
    private final Conv2d c2;
    private final Conv2d skip;

    public ResBlock(int cin, int cout, int embDim, int groups, Init init) {
        this.cin = cin;
        this.cout = cout;
        this.embDim = embDim;
        this.groups = groups;
        this.n1 = registerModule("n1", new GroupNorm(groups, cin, init));
        this.c1 = registerModule("c1", new Conv2d(cin, cout, 3, 1, 1, init));
        this.tp = registerModule("tp", new Linear(embDim, cout, init));
        this.n2 = registerModule("n2", new GroupNorm(groups, cout, init));
        this.c2 = registerModule("c2", new Conv2d(cout, cout, 3, 1, 1, init));
        this.skip = cin == cout ? null : registerModule("skip", new Conv2d(cin, cout, 1, 1, 0, init));
    }

    /** The block applied to {@code x: [B, cin, H, W]} with the embedding {@code e: [B, embDim]}. */
    public Tensor forward(Tensor x, Tensor e) {
        Tensor h = c1.forward(n1.forward(x).silu());
        h = h.add(tp.forward(e.silu()).reshape(e.dim(0), cout, 1, 1));
        h = c2.forward(n2.forward(h).silu());
        return (skip == null ? x : skip.forward(x)).add(h);
    }

    @Override
    protected Module rebuild() {
        return new ResBlock(cin, cout, embDim, groups, Init.of(c1.weight().dtype(), 0));
    }

    @Override
    public String toString() {
        return "ResBlock(" + cin + " -> " + cout + ")";
    }
}
