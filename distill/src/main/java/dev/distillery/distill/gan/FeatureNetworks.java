package dev.distillery.distill.gan;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Module;
import dev.distillery.nn.layers.Linear;
import dev.distillery.nn.models.FeatureExtractor;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.MlpDenoiser;
import dev.distillery.nn.models.ModelInput;

import java.util.ArrayList;
import java.util.List;

/**
 * Frozen feature networks for discriminators made of trainable heads (ADD, Sauer et al. 2023,
 * section 3.2, after StyleGAN-T / projected GANs). Every network here is frozen: its
 * parameters never train, gradients flow through it to its input.
 *
 * <ul>
 *   <li>{@link #randomMlp}: the hidden activations of a frozen <em>random</em> SiLU MLP (and
 *       optionally the raw input): for 2-D data, where no pretrained vision backbone exists,
 *       random features of a wide MLP give the heads a rich, fixed embedding (a random-feature
 *       kernel), which is all a projected discriminator needs of F in two dimensions;</li>
 *   <li>{@link #mlpDenoiserHidden}: the hidden activations of an {@link MlpDenoiser} (the teacher's
 *       own network, Kandinsky 3.1's "frozen downsampling part"), time-conditioned: it reads the
 *       noisy input {@code x_t} and {@code t} of the ModelInput;</li>
 *   <li>{@link #of(FeatureExtractor)}: any nn FeatureExtractor, e.g. the UNet's encoder half for
 *       images, or an image classifier.</li>
 * </ul>
 */
public final class FeatureNetworks {
    private FeatureNetworks() {
    }

    /** A frozen extractor from a module and its feature function. */
    public record Frozen(Module module, java.util.function.Function<ModelInput, List<Tensor>> fn,
                         List<Integer> channels) implements FeatureExtractor {
        public Frozen {
            module.freeze();
            module.eval();
            channels = List.copyOf(channels);
        }

        @Override
        public List<Tensor> features(ModelInput input) {
            return fn.apply(input);
        }

        @Override
        public List<Integer> featureChannels() {
            return channels;
        }
    }

    /**
     * The activations {@code h_1..h_L} of a frozen random MLP {@code h_l = SiLU(W_l h_{l-1} + b_l)},
     * {@code h_0 = x} (PyTorch's default Linear init, seed {@code seed}); with {@code includeInput},
     * x itself is the first feature. Time-free: t in the ModelInput is ignored; x is flattened to {@code [B, inDim]}.
     */
    public static Frozen randomMlp(int inDim, int width, int layers, boolean includeInput, DType dtype, long seed) {
        Init init = Init.of(dtype, seed);
        List<Linear> linears = new ArrayList<>();
        int in = inDim;
        for (int l = 0; l < layers; l++) {
            linears.add(new Linear(in, width, init));
            in = width;
        }
        Module holder = new dev.distillery.nn.layers.Sequential(linears);
        List<Integer> channels = new ArrayList<>();
        if (includeInput) {
            channels.add(inDim);
        }
        for (int l = 0; l < layers; l++) {
            channels.add(width);
        }
        return new Frozen(holder, input -> {
            Tensor h = input.x().reshape(input.x().dim(0), -1).to(dtype);
            List<Tensor> out = new ArrayList<>();
            if (includeInput) {
                out.add(h);
            }
            for (Linear lin : linears) {
                h = lin.forward(h).silu();
                out.add(h);
            }
            return out;
        }, channels);
    }

    /**
     * The post-activation hidden layers of an unconditioned {@link MlpDenoiser} at
     * {@code (x_t, t)}: {@code h_0} the network's input embedding, {@code h_l = SiLU(Linear_l h_{l-1})}
     * for the hidden layers (the output Linear is dropped). The network is frozen in place: pass
     * a copy if it must keep training elsewhere.
     */
    public static Frozen mlpDenoiserHidden(MlpDenoiser net) {
        MlpConfig c = net.config();
        if (c.conditioning().any()) {
            throw new IllegalArgumentException("mlpDenoiserHidden: conditioned MLP denoisers are not supported");
        }
        List<Integer> channels = new ArrayList<>();
        for (int l = 0; l < c.hiddenLayers(); l++) {
            channels.add(c.width());
        }
        return new Frozen(net, input -> {
            input.requireT("teacher features");
            return net.hiddenActivations(input);
        }, channels);
    }

    /** Any nn feature extractor (its module frozen). */
    public static Frozen of(FeatureExtractor extractor) {
        if (!(extractor instanceof Module m)) {
            throw new IllegalArgumentException("feature extractor must be a Module");
        }
        return new Frozen(m, extractor::features, extractor.featureChannels());
    }
}
