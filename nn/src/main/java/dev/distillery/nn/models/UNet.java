package dev.distillery.nn.models;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Module;
import dev.distillery.nn.layers.Activation;
import dev.distillery.nn.layers.Conv2d;
import dev.distillery.nn.layers.GroupNorm;
import dev.distillery.nn.layers.Linear;
import dev.distillery.nn.layers.ModuleList;
import dev.distillery.nn.layers.SelfAttention2d;
import dev.distillery.nn.layers.Sequential;
import dev.distillery.nn.layers.SinusoidalEmbedding;
import dev.distillery.nn.layers.Upsample;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The image U-Net of W3 (see {@link UNetConfig} and w3_unet.py): time embedding
 * {@code e = temb(sin(c t)) (+ conditioning)}; {@code conv_in}; on the way down residual blocks and
 * stride-2 convolutions, every output pushed on a stack; middle {@code ResBlock, attention,
 * ResBlock}; on the way up each residual block reads {@code concat(h, pop())} and each level but
 * the last ends in nearest upsampling + 3x3 convolution; {@code out = Conv3x3(SiLU(GN(h)))}.
 * Children and their names are those of the PyTorch module, so state dicts line up.
 */
public final class UNet extends Module implements ConditionalModel, FeatureExtractor {
    private final UNetConfig config;
    private final SinusoidalEmbedding sinusoidal;
    private final Sequential temb;
    private final Conv2d convIn;
    private final ModuleList down;
    private final ResBlock mid1;
    private final SelfAttention2d midAttn;
    private final ResBlock mid2;
    private final ModuleList up;
    private final Sequential out;
    private final ConditionEmbedding cond;
    private final List<Integer> levelEnds = new ArrayList<>();
    private final List<Integer> featureChannels = new ArrayList<>();

    public UNet(UNetConfig c) {
        this.config = c;
        Init init = Init.of(c.dtype(), c.seed());
        int ch = c.baseChannels();
        int ed = c.embDim();
        this.sinusoidal = new SinusoidalEmbedding(c.timeDim());
        this.temb = registerModule("temb", new Sequential(new Linear(c.timeDim(), ed, init), Activation.silu(),
                new Linear(ed, ed, init)));
        this.convIn = registerModule("conv_in", new Conv2d(c.inChannels(), ch, 3, 1, 1, init));
        List<Module> downs = new ArrayList<>();
        Deque<Integer> chans = new ArrayDeque<>();
        chans.push(ch);
        int cur = ch;
        int levels = c.channelMult().size();
        for (int li = 0; li < levels; li++) {
            int target = ch * c.channelMult().get(li);
            for (int r = 0; r < c.numResBlocks(); r++) {
                downs.add(new ResBlock(cur, target, ed, c.groups(), init));
                cur = target;
                chans.push(cur);
            }
            levelEnds.add(downs.size() - 1);
            featureChannels.add(cur);
            if (li != levels - 1) {
                downs.add(new Conv2d(cur, cur, 3, 2, 1, init));
                chans.push(cur);
            }
        }
        this.down = registerModule("down", new ModuleList(downs));
        this.mid1 = registerModule("mid1", new ResBlock(cur, cur, ed, c.groups(), init));
        this.midAttn = registerModule("mid_attn", new SelfAttention2d(cur, c.attentionHeads(), c.groups(), init));
        this.mid2 = registerModule("mid2", new ResBlock(cur, cur, ed, c.groups(), init));
        featureChannels.add(cur);
        List<Module> ups = new ArrayList<>();
        for (int li = levels - 1; li >= 0; li--) {
            int target = ch * c.channelMult().get(li);
            for (int r = 0; r < c.numResBlocks() + 1; r++) {
                ups.add(new ResBlock(cur + chans.pop(), target, ed, c.groups(), init));
                cur = target;
            }
            if (li != 0) {
                ups.add(new Sequential(new Upsample(2), new Conv2d(cur, cur, 3, 1, 1, init)));
            }
        }
        this.up = registerModule("up", new ModuleList(ups));
        Conv2d last = new Conv2d(cur, c.outChannels(), 3, 1, 1, init);
        if (c.zeroInitOutput()) {
            Init.zeroParameters(last);
        }
        this.out = registerModule("out", new Sequential(new GroupNorm(c.groups(), cur, init), Activation.silu(), last));
        this.cond = c.conditioning().any() ? registerModule("cond",
                new ConditionEmbedding(c.conditioning(), c.timeDim(), ed, c.timeScale(), init)) : null;
    }

    @Override
    public UNetConfig config() {
        return config;
    }

    @Override
    public Conditioning conditioning() {
        return config.conditioning();
    }

    /** The prediction {@code [B, outChannels, H, W]}. */
    @Override
    public Tensor forward(ModelInput in) {
        Encoded enc = encode(in);
        Tensor h = enc.h;
        Deque<Tensor> skips = enc.skips;
        for (Module m : up.items()) {
            h = m instanceof ResBlock ? ((ResBlock) m).forward(Tensor.concat(List.of(h, skips.pop()), 1), enc.emb)
                    : ((Sequential) m).forward(h);
        }
        return out.forward(h);
    }

    /** Convenience for {@code forward(ModelInput.of(x, t))}. */
    public Tensor forward(Tensor x, Tensor t) {
        return forward(ModelInput.of(x, t));
    }

    /** The output of each level of the way down and of the middle block (the encoder half). */
    @Override
    public List<Tensor> features(ModelInput in) {
        Encoded enc = encode(in);
        List<Tensor> f = new ArrayList<>(enc.levelOutputs);
        f.add(enc.h);
        return f;
    }

    @Override
    public List<Integer> featureChannels() {
        return List.copyOf(featureChannels);
    }

    private static final class Encoded {
        final Deque<Tensor> skips = new ArrayDeque<>();
        final List<Tensor> levelOutputs = new ArrayList<>();
        Tensor emb;
        Tensor h;
    }

    private Encoded encode(ModelInput in) {
        Tensor x = in.x().to(config.dtype());
        int factor = 1 << (config.channelMult().size() - 1);
        if (x.rank() != 4 || x.dim(1) != config.inChannels() || x.dim(2) % factor != 0 || x.dim(3) % factor != 0) {
            throw new IllegalArgumentException("UNet: x must have shape [B, " + config.inChannels()
                    + ", H, W] with H and W divisible by " + factor + ", got " + x.shape());
        }
        Encoded enc = new Encoded();
        Tensor e = temb.forward(sinusoidal.forward(in.requireT("UNet").to(config.dtype()).mul(config.timeScale())));
        if (cond != null) {
            e = e.add(cond.forward(in, "UNet"));
        } else {
            MlpDenoiser.rejectConditioning(in);
        }
        enc.emb = e;
        Tensor h = convIn.forward(x);
        enc.skips.push(h);
        List<Module> downs = down.items();
        for (int i = 0; i < downs.size(); i++) {
            Module m = downs.get(i);
            h = m instanceof ResBlock ? ((ResBlock) m).forward(h, e) : ((Conv2d) m).forward(h);
            enc.skips.push(h);
            if (levelEnds.contains(i)) {
                enc.levelOutputs.add(h);
            }
        }
        enc.h = mid2.forward(midAttn.forward(mid1.forward(h, e)), e);
        return enc;
    }

    @Override
    protected Module rebuild() {
        return new UNet(config);
    }

    @Override
    public UNet copy() {
        return (UNet) super.copy();
    }
}
