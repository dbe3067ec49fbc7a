package dev.distillery.nn.models;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Module;
import dev.distillery.nn.layers.Activation;
import dev.distillery.nn.layers.Linear;
import dev.distillery.nn.layers.ModuleList;
import dev.distillery.nn.layers.Sequential;
import dev.distillery.nn.layers.SinusoidalEmbedding;

import java.util.ArrayList;
import java.util.List;

/**
 * Small CNN classifier (see {@link ImageClassifierConfig}): blocks {@code blocks.i}, global mean
 * pooling, {@code head = Linear(C_last, K)}; logits {@code [B, K]}. Time-conditioned variants embed
 * {@code t} as {@code temb = SiLU(Linear(sin(c t)))}. As a {@link FeatureExtractor} it exposes
 * each block's output and the pooled vector (for Frechet distances and discriminators).
 */
public final class ImageClassifier extends Module implements ConditionalModel, FeatureExtractor {
    private final ImageClassifierConfig config;
    private final SinusoidalEmbedding sinusoidal;
    private final Sequential temb;
    private final List<ClassifierBlock> blocks = new ArrayList<>();
    private final Linear head;

    public ImageClassifier(ImageClassifierConfig c) {
        this.config = c;
        Init init = Init.of(c.dtype(), c.seed());
        int embDim = c.timeConditioned() ? c.timeDim() : 0;
        this.sinusoidal = c.timeConditioned() ? new SinusoidalEmbedding(c.timeDim()) : null;
        this.temb = c.timeConditioned() ? registerModule("temb",
                new Sequential(new Linear(c.timeDim(), c.timeDim(), init), Activation.silu())) : null;
        int cur = c.inChannels();
        for (int i = 0; i < c.channels().size(); i++) {
            blocks.add(new ClassifierBlock(cur, c.channels().get(i), i == 0 ? 1 : 2, c.groups(), embDim, init));
            cur = c.channels().get(i);
        }
        registerModule("blocks", new ModuleList(blocks));
        this.head = registerModule("head", new Linear(cur, c.numClasses(), init));
    }

    @Override
    public ImageClassifierConfig config() {
        return config;
    }

    /** Logits {@code [B, numClasses]}. */
    @Override
    public Tensor forward(ModelInput in) {
        List<Tensor> f = features(in);
        return head.forward(f.get(f.size() - 1));
    }

    /** Block outputs {@code [B, C_i, H_i, W_i]} and the pooled {@code [B, C_last]}. */
    @Override
    public List<Tensor> features(ModelInput in) {
        Tensor x = in.x().to(config.dtype());
        if (x.rank() != 4 || x.dim(1) != config.inChannels()) {
            throw new IllegalArgumentException("ImageClassifier: x must have shape [B, " + config.inChannels()
                    + ", H, W], got " + x.shape());
        }
        Tensor e = null;
        if (temb != null) {
            e = temb.forward(sinusoidal.forward(in.requireT("ImageClassifier (time-conditioned)")
                    .to(config.dtype()).mul(config.timeScale())));
        }
        List<Tensor> out = new ArrayList<>();
        Tensor h = x;
        for (ClassifierBlock b : blocks) {
            h = b.forward(h, e);
            out.add(h);
        }
        out.add(h.mean(new int[] {2, 3}, false));
        return out;
    }

    @Override
    public List<Integer> featureChannels() {
        List<Integer> ch = new ArrayList<>(config.channels());
        ch.add(config.channels().get(config.channels().size() - 1));
        return ch;
    }

    @Override
    protected Module rebuild() {
        return new ImageClassifier(config);
    }

    @Override
    public ImageClassifier copy() {
        return (ImageClassifier) super.copy();
    }
}
