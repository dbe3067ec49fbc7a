package dev.distillery.nn.models;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Module;
import dev.distillery.nn.layers.Conv2d;
import dev.distillery.nn.layers.GroupNorm;
import dev.distillery.nn.layers.Linear;

/**
 * {@code y = SiLU(n(conv(x)) + tp(e)[:, :, None, None])}: a 3x3 convolution (stride 1 or 2), group
 * norm and, when time-conditioned, the projected time embedding {@code e}.
 */
final class ClassifierBlock extends Module {
    private final int cin;
    private final int cout;
    private final int stride;
    private final int groups;
    private final int embDim;
    private final Conv2d conv;
    private final GroupNorm norm;
    private final Linear tp;

    ClassifierBlock(int cin, int cout, int stride, int groups, int embDim, Init init) {
        this.cin = cin;
        this.cout = cout;
        this.stride = stride;
        this.groups = groups;
        this.embDim = embDim;
        this.conv = registerModule("conv", new Conv2d(cin, cout, 3, stride, 1, init));
        this.norm = registerModule("n", new GroupNorm(groups, cout, init));
        this.tp = embDim > 0 ? registerModule("tp", new Linear(embDim, cout, init)) : null;
    }

    Tensor forward(Tensor x, Tensor e) {
        Tensor h = norm.forward(conv.forward(x));
        if (tp != null) {
            h = h.add(tp.forward(e).reshape(e.dim(0), cout, 1, 1));
        }
        return h.silu();
    }

    @Override
    protected Module rebuild() {
        return new ClassifierBlock(cin, cout, stride, groups, embDim, Init.of(conv.weight().dtype(), 0));
    }
}
