package dev.distillery.nn.models;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;
import dev.distillery.nn.layers.Activation;
import dev.distillery.nn.layers.Linear;
import dev.distillery.nn.layers.SinusoidalEmbedding;

import java.util.ArrayList;
import java.util.List;

/**
 * MLP denoiser for d-dimensional data: {@code e = sin(c t) (+ conditioning)},
 * {@code y = f(concat(x, e))} with {@code f = Linear SiLU ... Linear} (see {@link MlpConfig}).
 * The layers are direct children "0", "1", ... exactly like W2's PyTorch {@code nn.Sequential},
 * so the state dicts share names ({@code 0.weight, 0.bias, 2.weight, ..., 6.bias}); optional
 * conditionings live under {@code cond.*}, and the optional input Fourier features' fixed
 * frequencies ({@link MlpConfig#inputFourierFeatures}) are the buffer {@code xff_weight}.
 */
public final class MlpDenoiser extends Module implements ConditionalModel {
    private final MlpConfig config;
    private final SinusoidalEmbedding timeEmbedding;
    private final List<Layer> layers = new ArrayList<>();
    private final ConditionEmbedding cond;
    /** {@code [dataDim, m/2]} frequencies of the input Fourier features, or null when off. */
    private final Tensor xff;

    public MlpDenoiser(MlpConfig config) {
        this.config = config;
        Init init = Init.of(config.dtype(), config.seed());
        this.timeEmbedding = new SinusoidalEmbedding(config.timeDim());
        int in = config.dataDim() + config.inputFourierFeatures() + config.timeDim();
        for (int i = 0; i < config.hiddenLayers(); i++) {
            add(new Linear(in, config.width(), init));
            add(Activation.silu());
            in = config.width();
        }
        Linear out = add(new Linear(in, config.dataDim(), init));
        if (config.zeroInitOutput()) {
            Init.zeroParameters(out);
        }
        this.cond = config.conditioning().any() ? registerModule("cond",
                new ConditionEmbedding(config.conditioning(), config.timeDim(), config.timeDim(), config.timeScale(), init))
                : null;
        // drawn from its own stream after the layers, so the layers' initialisation is W2's either way
        this.xff = config.inputFourierFeatures() > 0 ? registerBuffer("xff_weight",
                Init.of(config.dtype(), config.seed() + 0x5eed_f00dL).normal(config.inputFourierScale(),
                        config.dataDim(), config.inputFourierFeatures() / 2))
                : null;
    }

    private <M extends Module & Layer> M add(M m) {
        registerModule(Integer.toString(layers.size()), m);
        layers.add(m);
        return m;
    }

    @Override
    public MlpConfig config() {
        return config;
    }

    @Override
    public Conditioning conditioning() {
        return config.conditioning();
    }

    /** The prediction {@code [B, d]} for {@code x: [B, d]} at times {@code t: [B]}. */
    @Override
    public Tensor forward(ModelInput in) {
        Tensor h = inputFeatures(in);
        for (Layer l : layers) {
            h = l.forward(h);
        }
        return h;
    }

    /**
     * The post-activation hidden layers {@code [B, width]} (the output Linear is not applied): the
     * features a discriminator over this network reads.
     */
    public List<Tensor> hiddenActivations(ModelInput in) {
        Tensor h = inputFeatures(in);
        List<Tensor> out = new java.util.ArrayList<>();
        for (int i = 0; i < layers.size() - 1; i++) {
            h = layers.get(i).forward(h);
            if (i % 2 == 1) {
                out.add(h);
            }
        }
        return out;
    }

    /** {@code concat(x, [sin 2 pi x B, cos 2 pi x B], temb + cond)}: the first Linear's input. */
    private Tensor inputFeatures(ModelInput in) {
        Tensor x = in.x();
        if (x.rank() != 2 || x.dim(1) != config.dataDim()) {
            throw new IllegalArgumentException("MlpDenoiser: x must have shape [B, " + config.dataDim() + "], got "
                    + x.shape());
        }
        Tensor e = timeEmbedding.forward(in.requireT("MlpDenoiser").to(config.dtype()).mul(config.timeScale()));
        if (cond != null) {
            e = e.add(cond.forward(in, "MlpDenoiser"));
        } else {
            rejectConditioning(in);
        }
        Tensor xd = x.to(config.dtype());
        if (xff != null) {
            Tensor args = xd.matmul(xff).mul(2 * Math.PI);
            return Tensor.concat(List.of(xd, args.sin(), args.cos(), e), 1);
        }
        return Tensor.concat(List.of(xd, e), 1);
    }

    /** Convenience for {@code forward(ModelInput.of(x, t))}. */
    public Tensor forward(Tensor x, Tensor t) {
        return forward(ModelInput.of(x, t));
    }

    static void rejectConditioning(ModelInput in) {
        if (in.s() != null || in.labels() != null || in.w() != null) {
            throw new IllegalArgumentException("the model has no conditioning configured, but the input has "
                    + (in.s() != null ? "s " : "") + (in.labels() != null ? "labels " : "") + (in.w() != null ? "w" : ""));
        }
    }

    @Override
    protected Module rebuild() {
        return new MlpDenoiser(config);
    }

    @Override
    public MlpDenoiser copy() {
        return (MlpDenoiser) super.copy();
    }
}
