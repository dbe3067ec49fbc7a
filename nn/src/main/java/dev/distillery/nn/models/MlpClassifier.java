package dev.distillery.nn.models;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Module;
import dev.distillery.nn.layers.Activation;
import dev.distillery.nn.layers.Linear;
import dev.distillery.nn.layers.Sequential;
import dev.distillery.nn.layers.SinusoidalEmbedding;

import java.util.ArrayList;
import java.util.List;

/** MLP classifier over {@code x: [B, d]} (see {@link MlpClassifierConfig}); logits {@code [B, K]}; layers {@code net.i}. */
public final class MlpClassifier extends Module implements ConditionalModel {
    private final MlpClassifierConfig config;
    private final SinusoidalEmbedding sinusoidal;
    private final Sequential net;

    public MlpClassifier(MlpClassifierConfig c) {
        this.config = c;
        Init init = Init.of(c.dtype(), c.seed());
        this.sinusoidal = c.timeConditioned() ? new SinusoidalEmbedding(c.timeDim()) : null;
        List<Module> layers = new ArrayList<>();
        int in = c.dataDim() + (c.timeConditioned() ? c.timeDim() : 0);
        for (int i = 0; i < c.hiddenLayers(); i++) {
            layers.add(new Linear(in, c.width(), init));
            layers.add(Activation.silu());
            in = c.width();
        }
        layers.add(new Linear(in, c.numClasses(), init));
        this.net = registerModule("net", new Sequential(layers));
    }

    @Override
    public MlpClassifierConfig config() {
        return config;
    }

    @Override
    public Tensor forward(ModelInput in) {
        Tensor x = in.x().to(config.dtype());
        if (x.rank() != 2 || x.dim(1) != config.dataDim()) {
            throw new IllegalArgumentException("MlpClassifier: x must have shape [B, " + config.dataDim() + "], got "
                    + x.shape());
        }
        if (sinusoidal != null) {
            Tensor e = sinusoidal.forward(in.requireT("MlpClassifier (time-conditioned)").to(config.dtype())
                    .mul(config.timeScale()));
            x = Tensor.concat(List.of(x, e), 1);
        }
        return net.forward(x);
    }

    @Override
    protected Module rebuild() {
        return new MlpClassifier(config);
    }
}
