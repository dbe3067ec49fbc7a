package dev.distillery.nn.models;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Module;
import dev.distillery.nn.layers.Conv2d;
import dev.distillery.nn.layers.Embedding;
import dev.distillery.nn.layers.Linear;
import dev.distillery.nn.layers.SinusoidalEmbedding;

/**
 * One head over a feature map {@code f: [B, C, H, W]} (a vector {@code [B, C]} is treated as 1x1):
 * {@code h = LeakyReLU_0.2(c1(f))} with a 3x3 convolution to {@code hidden} channels, score map
 * {@code y = c2(h) + <h, e>} where {@code c2} is 1x1 to one channel and the optional projection
 * term (Miyato and Koyama 2018) uses {@code e = E[label] + Linear(sin(t))}, summed over channels at
 * every position. Output {@code [B, 1, H, W]}: logits, one per patch.
 */
final class DiscriminatorHead extends Module {
    private final int channels;
    private final int hidden;
    private final int numClasses;
    private final int timeDim;
    private final double timeScale;
    private final Conv2d c1;
    private final Conv2d c2;
    private final Embedding classEmb;
    private final SinusoidalEmbedding sinusoidal;
    private final Linear timeProj;

    DiscriminatorHead(int channels, int hidden, int numClasses, int timeDim, double timeScale, Init init) {
        this.channels = channels;
        this.hidden = hidden;
        this.numClasses = numClasses;
        this.timeDim = timeDim;
        this.timeScale = timeScale;
        this.c1 = registerModule("c1", new Conv2d(channels, hidden, 3, 1, 1, init));
        this.c2 = registerModule("c2", new Conv2d(hidden, 1, 1, 1, 0, init));
        this.classEmb = numClasses > 0 ? registerModule("class_emb", new Embedding(numClasses, hidden, false, init)) : null;
        this.sinusoidal = timeDim > 0 ? new SinusoidalEmbedding(timeDim) : null;
        this.timeProj = timeDim > 0 ? registerModule("time_proj", new Linear(timeDim, hidden, init)) : null;
    }

    Tensor forward(Tensor f, ModelInput cond) {
        Tensor x = f.rank() == 2 ? f.reshape(f.dim(0), f.dim(1), 1, 1) : f;
        if (x.rank() != 4 || x.dim(1) != channels) {
            throw new IllegalArgumentException("DiscriminatorHead(" + channels + "): feature of shape " + f.shape()
                    + " is not [B, " + channels + ", H, W] or [B, " + channels + "]");
        }
        Tensor h = c1.forward(x).leakyRelu(0.2);
        Tensor y = c2.forward(h);
        Tensor e = null;
        if (classEmb != null) {
            e = classEmb.forward(cond == null || cond.labels() == null ? missing("labels") : cond.labels());
        }
        if (timeProj != null) {
            Tensor t = cond == null || cond.t() == null ? missing("a time t") : cond.t();
            Tensor te = timeProj.forward(sinusoidal.forward(t.to(x.dtype()).mul(timeScale)));
            e = e == null ? te : e.add(te);
        }
        if (e != null) {
            y = y.add(h.mul(e.reshape(e.dim(0), hidden, 1, 1)).sum(1, true));
        }
        return y;
    }

    private static <T> T missing(String what) {
        throw new IllegalArgumentException("the discriminator is conditioned on " + what + "; pass it in the ModelInput");
    }

    @Override
    protected Module rebuild() {
        return new DiscriminatorHead(channels, hidden, numClasses, timeDim, timeScale, Init.of(c1.weight().dtype(), 0));
    }
}
