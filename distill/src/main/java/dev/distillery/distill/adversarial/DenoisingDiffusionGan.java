package dev.distillery.distill.adversarial;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.process.DiscretePosterior;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.distill.StudentState;
import dev.distillery.distill.core.PerSample;
import dev.distillery.distill.gan.DiscriminatorTrainer;
import dev.distillery.distill.gan.GanLoss;
import dev.distillery.distill.gan.MlpDiscriminator;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.MlpDenoiser;
import dev.distillery.nn.models.ModelInput;
import dev.distillery.nn.optim.Adam;
import dev.distillery.nn.optim.LearningRate;

import java.util.List;
import java.util.Map;

/**
 * Denoising diffusion GAN (Xiao et al. 2022, "Tackling the generative learning trilemma with
 * denoising diffusion GANs"; seed 003; MATH.md section 6). T = 4 steps of its own discrete
 * schedule; at step k a conditional generator predicts {@code x0' = G(x_k, z, k)} and the sample
 * moves by the forward posterior {@code x_{k-1} ~ q(x_{k-1} | x_k, x0')} (DiscretePosterior); a
 * time-conditioned discriminator judges the pair {@code (x_{k-1}, x_k)} against real pairs
 * {@code x_{k-1} ~ q(x_{k-1} | x_0)}, {@code x_k ~ q(x_k | x_{k-1})} (paper eq. 4-6). Non-saturating
 * loss (paper eq. 6-7) and R1 on the real pair (paper section 3.3 penalises the gradient w.r.t.
 * x_{k-1}; here w.r.t. the whole pair input, which only adds the x_k part).
 *
 * <p><b>Schedule.</b> The paper's discretised VP-SDE, {@code abar(s) = exp(-beta_min s - (beta_max - beta_min) s^2 / 2)}
 * at {@code s = k/T} with beta_min = 0.1, beta_max = 20, so {@code beta_k = 1 - abar(k/T)/abar((k-1)/T)}
 * (paper appendix B).
 *
 * <p><b>Generator.</b> The student MLP (an {@link MlpConfig}) with {@code dataDim = d + nz}: it
 * reads {@code concat(x_k, z)} and its first d outputs are x0' (the other nz are ignored), which
 * lets the nn MLP take the latent without a new layer type. Its time input is {@code k/T} in
 * [0, 1]. It keeps the student config's input Fourier features (on 25 Gaussians the teacher's 128
 * features of frequency std 0.7, {@code Recipes.mlpConfig25Gaussians}): the map from x_1 to
 * x0' is a sharp snap onto the nearest of 25 modes, which a SiLU MLP on raw coordinates learns far
 * too slowly (spectral bias) and smears along lines between modes. It trains from scratch, as in
 * the paper (its input layout, with z, is not the teacher's).
 *
 * <p><b>Discriminator.</b> Trained end to end, as the paper's: an {@link MlpDiscriminator} on the
 * pair {@code concat(x_{k-1}, x_k)} with Fourier features of the pair and a sinusoidal embedding of
 * {@code k/T} (paper section 3.3: {@code D_phi(x_{t-1}, x_t, t)}).
 *
 * <p>This generator samples with exactly its T steps ({@link #generator()} rejects other counts);
 * a one- or two-step DDGAN is another instance with T = 1 or 2.
 */
public final class DenoisingDiffusionGan implements Distiller.SingleNetwork {

    /**
     * @param steps      T (paper's 25-Gaussians toy, appendix C: 4)
     * @param latentDim  nz
     * @param betaMin    VP-SDE beta_min (paper: 0.1)
     * @param betaMax    VP-SDE beta_max (paper: 20)
     * @param lr         generator Adam learning rate
     * @param discriminatorLr discriminator Adam learning rate
     * @param beta1      Adam beta1 of both (paper: 0.5)
     * @param beta2      Adam beta2 of both (paper: 0.9)
     * @param r1Gamma    R1 weight gamma (paper: 0.05 on CIFAR-10)
     * @param r1Interval lazy R1 every this many discriminator updates (paper: 15, after StyleGAN2)
     * @param discriminatorWidth  hidden width of the MLP discriminator
     * @param discriminatorLayers its hidden layers
     * @param discriminatorFourier Fourier features of its pair input (0: none)
     */
    public record Config(int steps, int latentDim, double betaMin, double betaMax, double lr, double discriminatorLr,
                         double beta1, double beta2, double r1Gamma, int r1Interval, int discriminatorWidth,
                         int discriminatorLayers, int discriminatorFourier) {
        /** The 25-Gaussians recipe; see each parameter. */
        public static Config defaults() {
            return new Config(4, 4, 0.1, 20.0, 5e-4, 5e-4, 0.5, 0.9, 0.05, 16, 128, 2, 64);
        }

        public Config withSteps(int t) {
            return new Config(t, latentDim, betaMin, betaMax, lr, discriminatorLr, beta1, beta2, r1Gamma, r1Interval,
                    discriminatorWidth, discriminatorLayers, discriminatorFourier);
        }

        public Config withOptimizer(double newLr, double newDiscriminatorLr, double newBeta1, double newBeta2) {
            return new Config(steps, latentDim, betaMin, betaMax, newLr, newDiscriminatorLr, newBeta1, newBeta2, r1Gamma,
                    r1Interval, discriminatorWidth, discriminatorLayers, discriminatorFourier);
        }

        public Config withDiscriminator(double gamma, int width, int layers, int fourier) {
            return new Config(steps, latentDim, betaMin, betaMax, lr, discriminatorLr, beta1, beta2, gamma, r1Interval,
                    width, layers, fourier);
        }

        public Config withLatentDim(int nz) {
            return new Config(steps, nz, betaMin, betaMax, lr, discriminatorLr, beta1, beta2, r1Gamma, r1Interval,
                    discriminatorWidth, discriminatorLayers, discriminatorFourier);
        }
    }

    private final DistillSetup setup;
    private final Config config;
    private final DiscreteSchedule schedule;
    private final MlpDenoiser generatorNet;
    private final Adam optimizer;
    private final DiscriminatorTrainer trainer;
    private final int dim;

    public DenoisingDiffusionGan(DistillSetup setup, Config config) {
        if (!(setup.studentConfig() instanceof MlpConfig mlp) || setup.sampleShape().length != 1) {
            throw new IllegalArgumentException("DenoisingDiffusionGan supports vector data with an MLP student config");
        }
        if (setup.data() == null) {
            throw new IllegalArgumentException("DenoisingDiffusionGan trains on real data (DistillSetup.data)");
        }
        this.setup = setup;
        this.config = config;
        this.dim = setup.sampleShape()[0];
        this.schedule = vpSchedule(config.steps(), config.betaMin(), config.betaMax());
        this.generatorNet = new MlpConfig(dim + config.latentDim(), mlp.width(), mlp.hiddenLayers(), mlp.timeDim(),
                mlp.timeScale(), mlp.conditioning(), false, mlp.dtype(), setup.seed() + 1, mlp.inputFourierFeatures(),
                mlp.inputFourierScale()).build();
        this.optimizer = new Adam(generatorNet.namedParameters(), LearningRate.constant(config.lr()), config.beta1(),
                config.beta2(), 1e-8, 0, false);
        double fourierScale = mlp.inputFourierFeatures() > 0 ? mlp.inputFourierScale() : 0.7;
        MlpDiscriminator d = new MlpDiscriminator.Config(2 * dim, 1, config.discriminatorWidth(),
                config.discriminatorLayers(), config.discriminatorFourier(), fourierScale, 64, mlp.timeScale(),
                setup.dtype(), setup.seed() + 5).build();
        this.trainer = new DiscriminatorTrainer(d, new DiscriminatorTrainer.Config(GanLoss.NON_SATURATING, 1,
                config.discriminatorLr(), config.beta1(), config.beta2(), config.r1Gamma(),
                DiscriminatorTrainer.R1On.PIXELS, config.r1Interval()));
    }

    /** DDGAN's discretised VP-SDE: {@code beta_k = 1 - abar(k/T)/abar((k-1)/T)}, {@code abar(s) = exp(-b0 s - (b1 - b0) s^2/2)}. */
    public static DiscreteSchedule vpSchedule(int steps, double betaMin, double betaMax) {
        double[] betas = new double[steps];
        for (int k = 1; k <= steps; k++) {
            double s1 = (double) k / steps;
            double s0 = (double) (k - 1) / steps;
            double logRatio = -betaMin * (s1 - s0) - 0.5 * (betaMax - betaMin) * (s1 * s1 - s0 * s0);
            betas[k - 1] = -Math.expm1(logRatio);
        }
        return DiscreteSchedule.fromBetas("ddgan-vp-" + steps, betas);
    }

    public DiscreteSchedule schedule() {
        return schedule;
    }

    /** {@code x0' = G(x_k, z, k/T)}: the first d outputs of the MLP on {@code concat(x_k, z)}. */
    Tensor predictX0(Tensor xk, Tensor z, int[] k) {
        double[] t = new double[k.length];
        for (int i = 0; i < k.length; i++) {
            t[i] = (double) k[i] / config.steps();
        }
        Tensor out = generatorNet.forward(ModelInput.of(Tensor.concat(List.of(xk, z), 1),
                Tensor.of(xk.dtype(), t, k.length)));
        return out.slice(1, 0, dim);
    }

    /** A sample of {@code q(x_{k-1} | x_k, x0)} per sample; at k = 1 its mean (beta_tilde_1 = 0). */
    Tensor posteriorSample(Tensor x0, Tensor xk, int[] k, Rng rng) {
        Tensor mean = DiscretePosterior.mean(schedule, k, x0, xk);
        double[] std = new double[k.length];
        for (int i = 0; i < k.length; i++) {
            std[i] = k[i] > 1 ? Math.sqrt(DiscretePosterior.variance(schedule, k[i])) : 0.0;
        }
        Tensor noise = Tensor.randn(xk.dtype(), rng, xk.shape().dims());
        return mean.add(noise.mul(PerSample.broadcast(Tensor.of(xk.dtype(), std, k.length), xk)));
    }

    private Tensor coef(double[] v, Tensor like) {
        return PerSample.broadcast(Tensor.of(like.dtype(), v, v.length), like);
    }

    private record Pair(Tensor prev, Tensor cur, int[] k, ModelInput cond) {
    }

    /** A real pair: {@code x_{k-1} ~ q(x_{k-1} | x_0)}, {@code x_k ~ q(x_k | x_{k-1})}, k ~ U{1..T}. */
    private Pair realPair(Rng rng) {
        int b = setup.batchSize();
        Tensor x0 = setup.data().batch(b, rng).x().to(setup.dtype());
        int[] k = new int[b];
        double[] aPrev = new double[b];
        double[] sPrev = new double[b];
        double[] aStep = new double[b];
        double[] sStep = new double[b];
        double[] t = new double[b];
        for (int i = 0; i < b; i++) {
            k[i] = 1 + rng.nextInt(config.steps());
            aPrev[i] = schedule.alpha(k[i] - 1);
            sPrev[i] = schedule.sigma(k[i] - 1);
            aStep[i] = Math.sqrt(schedule.oneStepSignalFactor(k[i]));
            sStep[i] = Math.sqrt(schedule.beta(k[i]));
            t[i] = (double) k[i] / config.steps();
        }
        Tensor prev = x0.mul(coef(aPrev, x0)).add(Tensor.randn(x0.dtype(), rng, x0.shape().dims()).mul(coef(sPrev, x0)));
        Tensor cur = prev.mul(coef(aStep, x0)).add(Tensor.randn(x0.dtype(), rng, x0.shape().dims()).mul(coef(sStep, x0)));
        return new Pair(prev, cur, k, ModelInput.of(x0, Tensor.of(x0.dtype(), t, b)));
    }

    private Tensor fakePrev(Pair real, Rng rng) {
        Tensor z = Tensor.randn(setup.dtype(), rng, real.cur().dim(0), config.latentDim());
        return posteriorSample(predictX0(real.cur(), z, real.k()), real.cur(), real.k(), rng);
    }

    private static Tensor pair(Tensor prev, Tensor cur) {
        return Tensor.concat(List.of(prev, cur), 1);
    }

    @Override
    public String name() {
        return "ddgan";
    }

    @Override
    public Map<String, Double> step(Rng rng) {
        Map<String, Double> out = new java.util.LinkedHashMap<>(trainer.train(() -> {
            Pair r = realPair(rng);
            Tensor fake;
            try (var off = Autograd.noGrad()) {
                fake = fakePrev(r, rng).detach();
            }
            return new DiscriminatorTrainer.Batch(pair(r.prev(), r.cur()), pair(fake, r.cur()), r.cond(), r.cond());
        }));
        Pair r = realPair(rng);
        Tensor loss = trainer.generatorLoss(pair(fakePrev(r, rng), r.cur()), r.cond());
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        out.put("g_loss", loss.item());
        return out;
    }

    @Override
    public Generator generator() {
        return new Generator() {
            @Override
            public Tensor sample(Tensor noise, int steps, RngKey key) {
                if (steps != config.steps()) {
                    throw new IllegalArgumentException("this DDGAN samples with exactly T = " + config.steps()
                            + " steps (asked " + steps + "); train one with T = " + steps + " instead");
                }
                Rng rng = new Rng(key);
                try (var off = Autograd.noGrad()) {
                    Tensor x = noise;
                    for (int kk = config.steps(); kk >= 1; kk--) {
                        int[] k = new int[x.dim(0)];
                        java.util.Arrays.fill(k, kk);
                        Tensor z = Tensor.randn(x.dtype(), rng, x.dim(0), config.latentDim());
                        x = posteriorSample(predictX0(x, z, k), x, k, rng);
                    }
                    return x.detach();
                }
            }

            @Override
            public boolean supports(int steps) {
                return steps == config.steps();
            }

            @Override
            public int nfe(int steps) {
                return config.steps();
            }
        };
    }

    /** The generator network (for tests). */
    public Module generatorNetwork() {
        return generatorNet;
    }

    /** The network the generator evaluates (what {@link StudentState} saves). */
    @Override
    public Module sampledNetwork() {
        return generatorNet;
    }

    @Override
    public String sampledNetworkName() {
        return "generator";
    }
}
