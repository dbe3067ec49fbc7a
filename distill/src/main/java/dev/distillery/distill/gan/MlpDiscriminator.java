package dev.distillery.distill.gan;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Module;
import dev.distillery.nn.layers.Linear;
import dev.distillery.nn.layers.SinusoidalEmbedding;
import dev.distillery.nn.models.ModelInput;

import java.util.ArrayList;
import java.util.List;

/**
 * A fully trainable discriminator for vector data: an MLP over
 * <pre>
 *   concat(x, sin(2 pi x B), cos(2 pi x B) [, sin-embedding(t * timeScale)]),   B ~ N(0, fourierScale^2) fixed, [inDim, m/2]
 * </pre>
 * with LeakyReLU(0.2) hidden layers and one output logit per sample. The random Fourier features
 * (Tancik et al. 2020) are the same embedding the 25-Gaussians teacher reads
 * ({@code Recipes.mlpConfig25Gaussians}): without them a small MLP cannot draw the sharp
 * boundaries between 25 narrow modes (spectral bias), and its gradient only says "move towards the
 * data's bulk", which smears samples along lines between modes.
 *
 * <p>Why trainable, not heads on a frozen network: on 2-D points a frozen random feature network
 * gives the heads a fixed, smooth kernel, a weak and blurry signal; DDGAN (Xiao et al. 2022,
 * section 3.3) trains its time-conditioned discriminator end to end. ADD (Sauer et al. 2023,
 * section 3.2) uses frozen DINOv2 features with trainable heads, which is an image-specific
 * choice (pretrained features that already separate images); for 2-D points, where no such
 * network exists, a trainable MLP with Fourier features of its input is the honest analogue.
 *
 * <p>LeakyReLU 0.2 is GAN practice (Radford et al. 2016, DCGAN): it keeps a gradient on both
 * sides of every unit, so the generator is never starved. The time input is optional (DDGAN's
 * discriminator is conditioned on t; ADD's is not).
 *
 * <p><b>Packing.</b> With {@code pack = m > 1} the discriminator scores m samples at once, reading
 * the features of its m samples side by side (PacGAN, Lin et al. 2018, section 3): a generator that drops modes makes
 * packs whose joint statistics (m samples in one mode) real packs rarely have, so the
 * discriminator sees mode dropping, which a one-sample discriminator cannot (PacGAN's 2-D grid
 * experiments, table 2). Each pack is one sample of the gradient penalties. With a time input
 * there is one t per pack: DDGAN's pair discriminator reads {@code (x_{k-1}, x_k)} as a pack of
 * two samples, so each half gets its own Fourier features (features of the concatenated pair mix
 * the noisy x_k into every feature of x_{k-1}; measured in docs/RESULTS.md, adversarial section).
 */
public final class MlpDiscriminator extends Module {

    /**
     * @param inDim          size of one (flattened) input x
     * @param pack           samples scored together (PacGAN; 1: none); the batch must be a multiple
     * @param width          hidden width
     * @param hiddenLayers   Linear + LeakyReLU pairs before the output Linear
     * @param fourierFeatures m: size of the Fourier embedding of x (0: none)
     * @param fourierScale   std of B (cycles per unit of x)
     * @param timeDim        size of the sinusoidal time embedding, 0 for an unconditional discriminator
     * @param timeScale      t is multiplied by this before embedding (1000 for t in [0, 1])
     * @param dtype          parameter dtype
     * @param seed           initialisation seed
     */
    public record Config(int inDim, int pack, int width, int hiddenLayers, int fourierFeatures, double fourierScale, int timeDim,
                         double timeScale, DType dtype, long seed) {
        public Config {
            if (pack < 1) {
                throw new IllegalArgumentException("MlpDiscriminator.Config: pack " + pack + " must be >= 1");
            }
            if (inDim < 1 || width < 1 || hiddenLayers < 1 || fourierFeatures < 0 || fourierFeatures % 2 != 0
                    || timeDim < 0 || timeDim % 2 != 0 || (fourierFeatures > 0 && !(fourierScale > 0))) {
                throw new IllegalArgumentException("MlpDiscriminator.Config: bad sizes " + this);
            }
        }

        public MlpDiscriminator build() {
            return new MlpDiscriminator(this);
        }
    }

    private final Config config;
    private final List<Linear> layers = new ArrayList<>();
    private final SinusoidalEmbedding timeEmbedding;
    private final Tensor fourier;

    public MlpDiscriminator(Config config) {
        this.config = config;
        Init init = Init.of(config.dtype(), config.seed());
        int in = config.pack() * (config.inDim() + config.fourierFeatures()) + config.timeDim();
        for (int i = 0; i <= config.hiddenLayers(); i++) {
            int out = i < config.hiddenLayers() ? config.width() : 1;
            layers.add(registerModule(Integer.toString(i), new Linear(in, out, init)));
            in = out;
        }
        this.timeEmbedding = config.timeDim() > 0 ? new SinusoidalEmbedding(config.timeDim()) : null;
        this.fourier = config.fourierFeatures() > 0 ? registerBuffer("fourier_b",
                Init.of(config.dtype(), config.seed() + 0x5eed_f00dL).normal(config.fourierScale(), config.inDim(),
                        config.fourierFeatures() / 2))
                : null;
    }

    public Config config() {
        return config;
    }

    /** {@code x} as packs {@code [B / pack, pack * inDim]} (a no-op on packed input). */
    public Tensor packed(Tensor x) {
        return x.reshape(-1, config.pack() * config.inDim());
    }

    /**
     * One logit per pack, {@code [B / pack, 1]} (per sample without packing); {@code cond} supplies t
     * when time-conditioned, one per pack (its x is ignored).
     */
    public Tensor logits(Tensor x, ModelInput cond) {
        // features of each sample (one B for all), then the pack's side by side
        Tensor h = x.reshape(-1, config.inDim()).to(config.dtype());
        if (fourier != null) {
            Tensor args = h.matmul(fourier).mul(2 * Math.PI);
            h = Tensor.concat(List.of(h, args.sin(), args.cos()), 1);
        }
        List<Tensor> parts = new ArrayList<>(List.of(h.reshape(-1, config.pack() * h.dim(1))));
        if (timeEmbedding != null) {
            if (cond == null || cond.t() == null) {
                throw new IllegalArgumentException("this discriminator is conditioned on t; pass it in the ModelInput");
            }
            parts.add(timeEmbedding.forward(cond.t().to(config.dtype()).mul(config.timeScale())));
        }
        h = Tensor.concat(parts, 1);
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(h);
            if (i < layers.size() - 1) {
                h = h.leakyRelu(0.2);
            }
        }
        return h;
    }

    @Override
    protected Module rebuild() {
        return new MlpDiscriminator(config);
    }
}
