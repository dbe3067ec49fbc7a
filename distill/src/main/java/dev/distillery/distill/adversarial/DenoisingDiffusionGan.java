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
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.distill.gan.DiscriminatorTrainer;
import dev.distillery.distill.gan.GanLoss;
import dev.distillery.distill.gan.MlpDiscriminator;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.NetworkDenoiser;
import dev.distillery.diffusion.denoise.NeuralDenoisers;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.distill.Student;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;
import dev.distillery.nn.Init;
import dev.distillery.nn.Module;
import dev.distillery.nn.layers.Linear;
import dev.distillery.nn.models.ConditionalModel;
import dev.distillery.nn.optim.Ema;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.MlpDenoiser;
import dev.distillery.nn.models.ModelInput;
import dev.distillery.nn.optim.Adam;
import dev.distillery.nn.optim.LearningRate;

import java.util.List;
import java.util.Map;

/**
 * Denoising diffusion GAN (Xiao et al. 2022, "Tackling the generative learning trilemma with
 * denoising diffusion GANs"; MATH.md section 6.14). T = 4 steps of its own discrete
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
 * <p><b>Generator.</b> With a teacher network ({@code fromTeacher}, the default):
 * {@code x0' = x0_copy(x_k + W z, t_k)}, a trainable copy of the teacher network read through the
 * teacher's prediction kind, at the teacher time t_k of the same log-SNR as DDGAN's step k (both
 * schedules are variance preserving, so x_k is a valid teacher input), with the latent entering
 * through a zero-initialised linear map W added to the input. At initialisation the generator is
 * the teacher's x0-predictor, independent of z, so the sampler starts as the teacher's DDPM
 * posterior sampler on DDGAN's 4-step schedule (0 modes / HQ 0.03 on 25 Gaussians: its last step
 * jumps from abar = 0.52 to 0 and returns the blurred posterior mean E[x0 | x_1]); the GAN only has
 * to turn that mean into a sample of q(x0 | x_1). The paper trains from scratch; here, at a 2000-step
 * budget, from scratch stays at 0 modes (docs/RESULTS.md, adversarial section) and from the teacher
 * reaches 22-24 of 25. Without a teacher network (or {@code fromTeacher = false}): the student MLP
 * with {@code dataDim = d + nz} reads {@code concat(x_k, z)} at time {@code k/T}, and its first d
 * outputs are x0'; it keeps the student config's input Fourier features (spectral bias: a SiLU MLP
 * on raw coordinates cannot snap onto 25 narrow modes).
 *
 * <p><b>Generator EMA.</b> With {@code emaDecay > 0} sampling uses an exponential moving average
 * of the generator (the paper: 0.9999 over long runs), which is then the network
 * {@link #sampledNetwork()} saves.
 *
 * <p><b>Discriminator.</b> Trained end to end, as the paper's: an {@link MlpDiscriminator} on the
 * pair {@code (x_{k-1}, x_k)} read as a pack of two samples, so that each half has its own Fourier
 * features, and a sinusoidal embedding of {@code k/T} (paper section 3.3:
 * {@code D_phi(x_{t-1}, x_t, t)}). Fourier features of the concatenated pair mix the noisy x_k
 * into every feature of x_{k-1}: with a fixed generator the discriminator's loss fell only from
 * 1.386 to 1.25 in 300 steps that way, against 1.15 with features per half, and the GAN trained with
 * concatenated features stayed at 0 modes. {@code discriminatorSteps} discriminator updates per
 * generator update.
 *
 * <p>This generator samples with exactly its T steps ({@link #generator()} rejects other counts);
 * a one- or two-step DDGAN is another instance with T = 1 or 2.
 */
public final class DenoisingDiffusionGan implements Distiller.SingleNetwork {
    /** The registry name (the {@code Methods} entry and the {@code --methods} spelling). */
    public static final String NAME = "ddgan";


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
     * @param discriminatorFourier Fourier features of each half of its pair input (0: none)
     * @param fromTeacher  start the generator from the teacher network when there is one
     * @param discriminatorSteps discriminator updates per generator update
     * @param emaDecay     decay of the generator EMA used for sampling (0: sample the live generator)
     */
    public record Config(int steps, int latentDim, double betaMin, double betaMax, double lr, double discriminatorLr,
                         double beta1, double beta2, double r1Gamma, int r1Interval, int discriminatorWidth,
                         int discriminatorLayers, int discriminatorFourier, boolean fromTeacher,
                         int discriminatorSteps, double emaDecay) {
        /**
         * The 25-Gaussians recipe (measured, docs/RESULTS.md, adversarial section; 3000 steps, batch 128:
         * 25 modes / HQ 0.81-0.83 on three seeds, against 20.7 +- 3.1 modes / 0.72 +- 0.08 at 2000):
         * the paper's T, schedule and Adam betas; the generator from the teacher (without it: 0
         * modes at 1000 steps); 2 discriminator updates per generator update; R1 gamma 0.01; a
         * generator EMA of decay 0.995 for sampling (the paper's 0.9999 is for 10^5+ steps; at
         * these budgets 0.995 averages over the last ~200 updates, which steadies the mode count).
         */
        public static Config defaults() {
            return new Config(4, 4, 0.1, 20.0, 5e-4, 5e-4, 0.5, 0.9, 0.01, 16, 128, 2, 64, true, 2, 0.995);
        }

        /** From scratch as in the paper: no teacher, one discriminator update per generator update, no EMA. */
        public Config(int steps, int latentDim, double betaMin, double betaMax, double lr, double discriminatorLr,
                      double beta1, double beta2, double r1Gamma, int r1Interval, int discriminatorWidth,
                      int discriminatorLayers, int discriminatorFourier) {
            this(steps, latentDim, betaMin, betaMax, lr, discriminatorLr, beta1, beta2, r1Gamma, r1Interval,
                    discriminatorWidth, discriminatorLayers, discriminatorFourier, false, 1, 0.0);
        }

        /** Teacher initialisation, discriminator updates per generator update, generator EMA decay (0: none). */
        public Config withTraining(boolean teacherInit, int dSteps, double ema) {
            return new Config(steps, latentDim, betaMin, betaMax, lr, discriminatorLr, beta1, beta2, r1Gamma,
                    r1Interval, discriminatorWidth, discriminatorLayers, discriminatorFourier, teacherInit, dSteps, ema);
        }

        public Config withSteps(int t) {
            return new Config(t, latentDim, betaMin, betaMax, lr, discriminatorLr, beta1, beta2, r1Gamma, r1Interval,
                    discriminatorWidth, discriminatorLayers, discriminatorFourier, fromTeacher, discriminatorSteps, emaDecay);
        }

        public Config withOptimizer(double newLr, double newDiscriminatorLr, double newBeta1, double newBeta2) {
            return new Config(steps, latentDim, betaMin, betaMax, newLr, newDiscriminatorLr, newBeta1, newBeta2, r1Gamma,
                    r1Interval, discriminatorWidth, discriminatorLayers, discriminatorFourier, fromTeacher,
                    discriminatorSteps, emaDecay);
        }

        public Config withDiscriminator(double gamma, int width, int layers, int fourier) {
            return new Config(steps, latentDim, betaMin, betaMax, lr, discriminatorLr, beta1, beta2, gamma, r1Interval,
                    width, layers, fourier, fromTeacher, discriminatorSteps, emaDecay);
        }

        public Config withLatentDim(int nz) {
            return new Config(steps, nz, betaMin, betaMax, lr, discriminatorLr, beta1, beta2, r1Gamma, r1Interval,
                    discriminatorWidth, discriminatorLayers, discriminatorFourier, fromTeacher, discriminatorSteps, emaDecay);
        }
    }

    private final DistillSetup setup;
    private final Config config;
    private final DiscreteSchedule schedule;
    private final Module generatorNet;
    private final Ema ema;
    private final double[] teacherTimes;
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
        this.teacherTimes = new double[config.steps() + 1];
        if (config.fromTeacher() && setup.teacherNetwork() != null) {
            NoiseSchedule ts = setup.teacher().schedule();
            for (int k = 1; k <= config.steps(); k++) {
                double a = schedule.alpha(k);
                double sg = schedule.sigma(k);
                teacherTimes[k] = ts.timeFromLogSnr(Math.log(a * a / (sg * sg)));
            }
            Student s = Student.create(setup, true, 1);
            this.generatorNet = new TeacherGenerator(s.module(), s.denoiser() instanceof NetworkDenoiser nd
                    ? nd.kind() : Prediction.X0, ts, dim, config.latentDim());
        } else {
            this.generatorNet = new MlpConfig(dim + config.latentDim(), mlp.width(), mlp.hiddenLayers(), mlp.timeDim(),
                    mlp.timeScale(), mlp.conditioning(), false, mlp.dtype(), setup.seed() + 1,
                    mlp.inputFourierFeatures(), mlp.inputFourierScale()).build();
        }
        this.ema = config.emaDecay() > 0 ? new Ema(generatorNet, config.emaDecay(), true) : null;
        this.optimizer = new Adam(generatorNet.namedParameters(), LearningRate.constant(config.lr()), config.beta1(),
                config.beta2(), 1e-8, 0, false);
        double fourierScale = mlp.inputFourierFeatures() > 0 ? mlp.inputFourierScale() : 0.7;
        MlpDiscriminator d = new MlpDiscriminator.Config(dim, 2, config.discriminatorWidth(),
                config.discriminatorLayers(), config.discriminatorFourier(), fourierScale, 64, mlp.timeScale(),
                setup.dtype(), setup.seed() + 5).build();
        this.trainer = new DiscriminatorTrainer(d, new DiscriminatorTrainer.Config(GanLoss.NON_SATURATING,
                config.discriminatorSteps(),
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

    Tensor predictX0(Tensor xk, Tensor z, int[] k) {
        return predictX0(generatorNet, xk, z, k);
    }

    /**
     * {@code x0' = G(x_k, z, k)}: from the teacher copy, its x0 at the teacher time of equal SNR
     * on the input {@code x_k + W z}; from scratch, the first d outputs of the MLP on
     * {@code concat(x_k, z)} at time {@code k/T}.
     */
    private Tensor predictX0(Module net, Tensor xk, Tensor z, int[] k) {
        double[] t = new double[k.length];
        for (int i = 0; i < k.length; i++) {
            t[i] = net instanceof TeacherGenerator ? teacherTimes[k[i]] : (double) k[i] / config.steps();
        }
        Tensor time = Tensor.of(xk.dtype(), t, k.length);
        if (net instanceof TeacherGenerator g) {
            return g.x0(xk, z, time);
        }
        Tensor out = ((MlpDenoiser) net).forward(ModelInput.of(Tensor.concat(List.of(xk, z), 1), time));
        return out.slice(1, 0, dim);
    }

    /**
     * The teacher-initialised generator: a trainable copy of the teacher network read through the
     * teacher's prediction kind and schedule, plus a zero-initialised linear map of the latent
     * added to its input, {@code x0' = x0_copy(x_k + W z, t_k)}. At initialisation W = 0, so the
     * generator is the teacher's x0-predictor, independent of z, and one sampling step is the
     * teacher's DDPM posterior step on DDGAN's 4-step schedule; the GAN then corrects it.
     */
    static final class TeacherGenerator extends Module {
        private final Module net;
        private final Linear latent;
        private final NetworkDenoiser denoiser;
        private final Prediction kind;
        private final NoiseSchedule teacherSchedule;
        private final int dim;
        private final int latentDim;

        TeacherGenerator(Module net, Prediction kind, NoiseSchedule teacherSchedule, int dim, int latentDim) {
            this.net = registerModule("net", net);
            this.latent = registerModule("latent", Init.zeroParameters(new Linear(latentDim, dim, false,
                    Init.of(net.parameters().get(0).dtype(), 0))));
            this.denoiser = NeuralDenoisers.of((ConditionalModel) net, kind, teacherSchedule);
            this.kind = kind;
            this.teacherSchedule = teacherSchedule;
            this.dim = dim;
            this.latentDim = latentDim;
        }

        Tensor x0(Tensor xk, Tensor z, Tensor t) {
            return denoiser.x0(xk.add(latent.forward(z)), t, Condition.NONE);
        }

        @Override
        protected Module rebuild() {
            return new TeacherGenerator(net.copy(), kind, teacherSchedule, dim, latentDim);
        }
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
        return NAME;
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
        if (ema != null) {
            ema.update(generatorNet);
        }
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
                        x = posteriorSample(predictX0(sampledNetwork(), x, z, k), x, k, rng);
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

    /** The generator, its EMA (when there is one), its Adam and the discriminator's training. */
    @Override
    public void writeState(StateWriter out) {
        out.module("generator", generatorNet).optimizer("optimizer", optimizer);
        if (ema != null) {
            out.ema("ema", ema);
        }
        out.part("discriminator", trainer);
    }

    @Override
    public void readState(StateReader in) {
        in.module("generator", generatorNet);
        in.optimizer("optimizer", optimizer);
        if (ema != null) {
            in.ema("ema", ema);
        }
        in.part("discriminator", trainer);
    }

    /** The generator network (for tests). */
    public Module generatorNetwork() {
        return generatorNet;
    }

    /** The network the generator evaluates (what {@link StudentState} saves): the EMA when there is one. */
    @Override
    public Module sampledNetwork() {
        return ema != null ? ema.model() : generatorNet;
    }

    @Override
    public String sampledNetworkName() {
        return "generator";
    }
}
