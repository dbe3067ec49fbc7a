package dev.distillery.distill.matching;

import dev.distillery.distill.Student;
import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.loss.Losses;
import dev.distillery.diffusion.loss.XLossWeighting;
import dev.distillery.distill.DistillSetup;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.distill.gan.Discriminator;
import dev.distillery.distill.gan.DiscriminatorTrainer;
import dev.distillery.distill.gan.GanLoss;
import dev.distillery.distill.gan.MlpDiscriminator;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;
import dev.distillery.nn.optim.Adam;
import dev.distillery.nn.optim.LearningRate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Distribution matching distillation: DMD (Yin et al. 2024, "One-step diffusion with distribution
 * matching distillation", Algorithm 1) and DMD2 (Yin et al. 2024b, "Improved distribution matching
 * distillation for fast image synthesis") as two configurations of one class (MATH.md
 * section 6.8).
 *
 * <p>Each step: {@code fakeUpdates} updates of the auxiliary diffusion model {@code mu_fake} on
 * generator samples with the denoising loss {@code w(snr_t) ||mu_fake(x_t, t) - x||^2} (x0-prediction;
 * by default w = snr + 1, the v-MSE the teacher was trained with, so mu_fake is as accurate as the
 * teacher at every noise level); then one generator update with DMD's normalised gradient
 * <pre>
 *   grad_x = alpha_t (mu_fake(x_t, t) - mu_real(x_t, t)) / mean_j |x - mu_real(x_t, t)|_j,   t ~ U(tMin, tMax)
 * </pre>
 * (eq. 8, {@code DmdGradient}) through the surrogate loss, plus for DMD the regression loss
 * {@code lambda_reg mean ||G(z_ref) - y_ref||^2} on noise-to-sample pairs the teacher made with
 * deterministic DDIM (precomputed at construction; the paper uses LPIPS, 2-D data uses l2).
 * DMD2 drops the regression loss and takes five fake-score updates per generator update (its "TTUR");
 * with {@code studentSteps > 1} it trains a multi-step student on its own earlier steps (backward
 * simulation, section 4.5). Both recipes here train the one-step generator.
 * DMD2's GAN term ({@link Config#withGan}) adds {@code lambda_GAN L_G^adv(x)} to the generator
 * loss, with a non-saturating discriminator of real data against generator samples. The paper
 * puts its classifier head on the fake score network's encoder and trains both together; an MLP
 * denoiser of 2-D points has no encoder worth the name, so on vector data the discriminator is a
 * separate trainable MLP over Fourier features of its input (as ADD's here), and elsewhere heads
 * over a frozen random feature network ({@code Discriminator.overRandomFeatures}).
 * Teacher: the real score; with a teacher network both the generator and mu_fake start from it.
 */
public final class DistributionMatchingDistillation extends GeneratorDistiller {
    /** The registry name of DMD (regression loss, {@link Config#dmd()}). */
    public static final String DMD = "dmd";
    /** The registry name of DMD2 (GAN term, no regression, {@link Config#dmd2()}). */
    public static final String DMD2 = "dmd2";


    /**
     * @param name             registry name ("dmd" or "dmd2")
     * @param lr               generator learning rate
     * @param fakeLr           auxiliary (fake score) learning rate
     * @param fakeUpdates      fake-score updates per generator update (DMD2's two time-scale update rule)
     * @param fakeWeighting    weight of the fake score's x0 denoising loss; null for uniform
     * @param regressionWeight lambda_reg (DMD 0.25, DMD2 0)
     * @param regressionPairs  number of precomputed teacher pairs (0 with lambda_reg = 0)
     * @param pairDdimSteps    teacher DDIM steps per pair
     * @param tMin             smallest diffusion time (DMD: 0.02 T)
     * @param tMax             largest diffusion time (DMD: 0.98 T)
     * @param studentSteps     student steps trained by backward simulation (DMD: 1; DMD2's multistep variant: 4)
     * @param beta1            Adam beta1 of both networks
     * @param ganWeight        lambda_GAN of DMD2's GAN term (0: none; the paper, ImageNet: 3e-3)
     * @param ganMaxTime       the discriminator reads real and generated samples noised to a shared
     *                         {@code t_d ~ U(0, ganMaxTime)} ({@link InstanceNoise}; 0: clean samples)
     * @param decaySteps       generator learning rate decays to 0 by a cosine over this many steps (0: constant)
     * @param startTime        the time of the generator's first step ({@link FewStepSampler#startTime()}; the papers: 1)
     */
    public record Config(String name, double lr, double fakeLr, int fakeUpdates, XLossWeighting fakeWeighting,
                         double regressionWeight, int regressionPairs, int pairDdimSteps, double tMin, double tMax,
                         int studentSteps, double beta1, double ganWeight, double ganMaxTime, int decaySteps,
                         double startTime) {
        public Config {
            if (!(ganWeight >= 0)) {
                throw new IllegalArgumentException("ganWeight must be >= 0 (0 turns the GAN term off), got " + ganWeight);
            }
            if (fakeUpdates < 0 || studentSteps < 1 || !(tMin > 0 && tMin < tMax && tMax < 1)) {
                throw new IllegalArgumentException("DMD config: need fakeUpdates >= 0, studentSteps >= 1 and"
                        + " 0 < tMin < tMax < 1; got " + fakeUpdates + ", " + studentSteps + ", " + tMin + ", " + tMax);
            }
            if (!(startTime > 0 && startTime <= 1)) {
                throw new IllegalArgumentException("DMD config: startTime = " + startTime + " must be in (0, 1] (1: the papers' pure noise)");
            }
        }

        /** The same with the generator's first step at time {@code t} ({@link FewStepSampler#startTime()}). */
        public Config withStartTime(double t) {
            return new Config(name, lr, fakeLr, fakeUpdates, fakeWeighting, regressionWeight, regressionPairs,
                    pairDdimSteps, tMin, tMax, studentSteps, beta1, ganWeight, ganMaxTime, decaySteps, t);
        }

        /** The same with DMD2's GAN term at weight {@code lambda}, its discriminator reading noise up to {@code maxTime}. */
        public Config withGan(double lambda, double maxTime) {
            return new Config(name, lr, fakeLr, fakeUpdates, fakeWeighting, regressionWeight, regressionPairs,
                    pairDdimSteps, tMin, tMax, studentSteps, beta1, lambda, maxTime, decaySteps, startTime);
        }

        /** The same with DMD2's GAN term at weight {@code lambda} on clean samples. */
        public Config withGan(double lambda) {
            return new Config(name, lr, fakeLr, fakeUpdates, fakeWeighting, regressionWeight, regressionPairs,
                    pairDdimSteps, tMin, tMax, studentSteps, beta1, lambda, ganMaxTime, decaySteps, startTime);
        }

        /** The same with {@code k} fake-score updates per generator update. */
        public Config withFakeUpdates(int k) {
            return new Config(name, lr, fakeLr, k, fakeWeighting, regressionWeight, regressionPairs,
                    pairDdimSteps, tMin, tMax, studentSteps, beta1, ganWeight, ganMaxTime, decaySteps, startTime);
        }

        /** The same with learning rates {@code lr} (generator) and {@code fakeLr}. */
        public Config withLearningRates(double lr, double fakeLr) {
            return new Config(name, lr, fakeLr, fakeUpdates, fakeWeighting, regressionWeight, regressionPairs,
                    pairDdimSteps, tMin, tMax, studentSteps, beta1, ganWeight, ganMaxTime, decaySteps, startTime);
        }

        /** The same with regression weight {@code lambda} on {@code pairs} teacher pairs of {@code ddimSteps} steps. */
        public Config withRegression(double lambda, int pairs, int ddimSteps) {
            return new Config(name, lr, fakeLr, fakeUpdates, fakeWeighting, lambda, pairs, ddimSteps, tMin, tMax,
                    studentSteps, beta1, ganWeight, ganMaxTime, decaySteps, startTime);
        }

        /** The same with {@code n} student steps (backward simulation for n > 1). */
        public Config withStudentSteps(int n) {
            return new Config(name, lr, fakeLr, fakeUpdates, fakeWeighting, regressionWeight, regressionPairs,
                    pairDdimSteps, tMin, tMax, n, beta1, ganWeight, ganMaxTime, decaySteps, startTime);
        }

        /** The same with diffusion times {@code t ~ U(tMin, tMax)} for the DMD gradient and the fake score. */
        public Config withTimes(double tMin, double tMax) {
            return new Config(name, lr, fakeLr, fakeUpdates, fakeWeighting, regressionWeight, regressionPairs,
                    pairDdimSteps, tMin, tMax, studentSteps, beta1, ganWeight, ganMaxTime, decaySteps, startTime);
        }

        /** The same with the generator learning rate decayed to 0 by a cosine over {@code steps} (0: constant). */
        public Config withDecay(int steps) {
            return new Config(name, lr, fakeLr, fakeUpdates, fakeWeighting, regressionWeight, regressionPairs,
                    pairDdimSteps, tMin, tMax, studentSteps, beta1, ganWeight, ganMaxTime, steps, startTime);
        }

        /** The same with Adam beta1 {@code b1} for both networks. */
        public Config withBeta1(double b1) {
            return new Config(name, lr, fakeLr, fakeUpdates, fakeWeighting, regressionWeight, regressionPairs,
                    pairDdimSteps, tMin, tMax, studentSteps, b1, ganWeight, ganMaxTime, decaySteps, startTime);
        }

        /**
         * DMD's recipe for the one-step 2-D generator. Sources, choice by choice:
         * <ul>
         *   <li>one student step: DMD is a one-step generator (Yin et al. 2024, section 3, Algorithm 1);</li>
         *   <li>five fake-score updates per generator update: DMD2's two time-scale update rule (Yin et
         *       al. 2024b, section 4.2), adopted because it keeps mu_fake on the generator's current
         *       distribution (review measurement: 1 -> 5 updates, 5 -> 15 modes at equal budget);</li>
         *   <li>the fake score's denoising loss weighted by SNR+1 (x0-MSE times snr + 1 = v-MSE): the
         *       loss the teacher was trained with ({@code Recipes.mlpTraining25Gaussians}); DMD trains
         *       mu_fake with the teacher's own denoising objective (Yin et al. 2024, eq. 6 and section 3.2);</li>
         *   <li>lambda_reg = 4 instead of the paper's 0.25 (section 4) on 8192 teacher pairs: the
         *       regression term is what carries mode coverage here (measured, docs/RESULTS.md, distribution-matching section:
         *       lambda 0.25 / 1 / 4 give 11 / 21 / 24 modes at 500 steps, 8192 pairs
         *       instead of 2048 reach HQ 0.60 at 1000 steps where 2048 stayed below 0.47, and the DMD
         *       gradient alone covers at most 10);</li>
         *   <li>pairs from 32-step teacher DDIM (the paper: 50-step ODE solves; 8192 x 32 teacher calls
         *       cost about a fifth of the training);</li>
         *   <li>t ~ U(0.02, 0.98): DMD's range {@code [T_min, T_max] = [0.02 T, 0.98 T]} (section 4);</li>
         *   <li>Adam lr 1e-3 for both networks, betas (0.9, 0.999): measured for these MLPs (the paper's
         *       2e-6 is for Stable Diffusion); the registry decays the generator's rate by a cosine over
         *       the budget ({@link #withDecay}), measured, docs/RESULTS.md, distribution-matching section.</li>
         * </ul>
         */
        public static Config dmd() {
            return new Config(DMD, 1e-3, 1e-3, 5, XLossWeighting.SNR_PLUS_ONE, 4.0, 8192, 32, 0.02, 0.98, 1, 0.9,
                    0.0, 0.0, 0, 1.0);
        }

        /**
         * DMD2 (Yin et al. 2024b): no regression loss (section 4.1), five fake updates per generator
         * update (TTUR, section 4.2), the GAN term (section 4.3) at lambda_GAN = 1, a one-step student
         * (section 4.5 trains several steps only for its multistep variant; the demo scores 1 step),
         * the fake score on the teacher's v-MSE (as {@link #dmd()}), DMD's time range and the measured
         * learning rates of {@link #dmd()}. The GAN term is what spreads the generator over the modes
         * here: the DMD gradient alone covers 7-10 of 25 at any budget measured (docs/RESULTS.md,
         * distribution-matching section); with the vector-data discriminator of the class comment it covers
         * 16-18 at HQ 0.75 after 2000 steps (lambda_GAN 0.5: 17 / 0.72; 2: 13 / 0.74; 3: 11 / 0.58
         * after 1000; instance noise on its inputs up to t = 0.2 or 0.5: 16 / 0.61, 18 / 0.53). The
         * paper's 3e-3 weighs a GAN loss summed over image pixels; here both terms are O(1) per sample.
         * The generator reads its noise at t = 0.7 instead of 1 ({@link FewStepSampler#startTime()}):
         * from the teacher's weights it then starts as a blurred picture of the data rather than the
         * constant data mean (probe, 2000 steps: start 1 / 0.8 / 0.7 / 0.6 give 18 / 21 / 22 / 17 modes,
         * docs/RESULTS.md, "generator start time").
         */
        public static Config dmd2() {
            return new Config(DMD2, 1e-3, 1e-3, 5, XLossWeighting.SNR_PLUS_ONE, 0.0, 0, 32, 0.02, 0.98, 1, 0.9, 1.0,
                    0.0, 0, 0.7);
        }
    }

    private final Config config;
    private final Student fake;
    private final Adam fakeOptimizer;
    private final RegressionPairs pairs;
    private final DiscriminatorTrainer gan;

    public DistributionMatchingDistillation(DistillSetup setup, Config config) {
        super(new GeneratorTraining(setup, Student.create(setup, true, 1),
                GeneratorTraining.learningRate(config.lr(), config.decaySteps()), config.beta1(), 0.999,
                config.studentSteps(), config.tMin(), config.tMax(), config.startTime()));
        this.config = config;
        this.fake = Student.create(setup, true, 2);
        this.fakeOptimizer = new Adam(fake.module().namedParameters(), LearningRate.constant(config.fakeLr()),
                config.beta1(), 0.999, 1e-8, 0, false);
        this.gan = config.ganWeight() > 0 ? ganTrainer(setup, config) : null;
        this.pairs = config.regressionWeight() > 0
                ? new RegressionPairs(setup, config.regressionPairs(), config.pairDdimSteps()) : null;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Map<String, Double> step(Rng rng) {
        int b = g.setup.batchSize();
        Map<String, Double> out = new LinkedHashMap<>();
        double fakeLoss = 0;
        for (int k = 0; k < config.fakeUpdates(); k++) {
            fakeLoss = fakeUpdate(b, rng);
        }
        out.put("fake_denoising", fakeLoss);

        Tensor x = g.generate(b, rng);
        GeneratorTraining.Times tt = g.times(b, rng);
        Tensor eps = Tensor.randn(x.dtype(), rng, x.shape().dims());
        Tensor xt = GeneratorTraining.noised(x, tt, eps);
        Tensor x0Real = g.teacherX0(xt, tt.t());
        Tensor x0Fake;
        try (var off = Autograd.noGrad()) {
            x0Fake = fake.x0(xt, tt.t()).detach();
        }
        Tensor loss = GeneratorTraining.surrogateMean(x, GeneratorTraining.dmdGradient(x, x0Fake, x0Real, tt));
        if (pairs != null) {
            Tensor reg = pairs.loss(g, b);
            out.put("regression", reg.item());
            loss = loss.add(reg.mul(config.regressionWeight()));
        }
        if (gan != null) {
            Tensor real = g.setup.data().batch(b, rng).x().to(x.dtype());
            Tensor fake = x.detach();
            var schedule = g.setup.teacher().schedule();
            out.putAll(gan.train(() -> InstanceNoise.batch(schedule, real, fake, config.ganMaxTime(), rng)));
            DiscriminatorTrainer.Batch generated = InstanceNoise.batch(schedule, real, x, config.ganMaxTime(), rng);
            Tensor adv = gan.generatorLoss(generated.fake(), generated.fakeCond());
            out.put("g_adv", adv.item());
            loss = loss.add(adv.mul(config.ganWeight()));
        }
        out.put("generator", g.update(loss));
        return out;
    }

    /**
     * DMD2's discriminator. On vector data a trainable MLP over Fourier features of its input, at the
     * scale of the teacher's own input features, with R1 on that input (gamma 0.01) — the
     * discriminator that carries ADD's coverage here; elsewhere heads over a frozen random network
     * with R1 on the head inputs.
     */
    private static DiscriminatorTrainer ganTrainer(DistillSetup setup, Config config) {
        int n = dataSize(setup);
        if (setup.sampleShape().length == 1) {
            double scale = setup.studentConfig() instanceof MlpConfig m && m.inputFourierFeatures() > 0
                    ? m.inputFourierScale() : 0.7;
            MlpDiscriminator d = new MlpDiscriminator.Config(n, 1, 128, 2, 64, scale,
                    config.ganMaxTime() > 0 ? 64 : 0, 1000.0, setup.dtype(), setup.seed() + 5).build();
            return new DiscriminatorTrainer(d, new DiscriminatorTrainer.Config(GanLoss.NON_SATURATING,
                    1, config.fakeLr(), 0.5, 0.99, 0.01, DiscriminatorTrainer.R1On.PIXELS, 16));
        }
        return new DiscriminatorTrainer(Discriminator.overRandomFeatures(n, 128, 3, 64, setup.dtype(), setup.seed() + 5),
                new DiscriminatorTrainer.Config(GanLoss.NON_SATURATING, 1, config.fakeLr(), config.beta1(), 0.999, 1e-5,
                        DiscriminatorTrainer.R1On.FEATURES, 16));
    }

    private static int dataSize(DistillSetup setup) {
        int n = 1;
        for (int d : setup.sampleShape()) {
            n *= d;
        }
        return n;
    }

    private double fakeUpdate(int b, Rng rng) {
        Tensor x = g.generateDetached(b, rng);
        GeneratorTraining.Times tt = g.times(b, rng);
        Tensor eps = Tensor.randn(x.dtype(), rng, x.shape().dims());
        Tensor xt = GeneratorTraining.noised(x, tt, eps);
        Tensor x0 = fake.x0(xt, tt.t());
        Tensor loss = config.fakeWeighting() == null ? PerSample.squaredNorm(x0.sub(x)).mean()
                : Losses.xLoss(x0, x, tt.snr(), config.fakeWeighting()).mul(PerSample.dataSize(x));
        fakeOptimizer.zeroGrad();
        loss.backward();
        fakeOptimizer.step();
        return loss.item();
    }

    /**
     * The generator and its Adam, the fake score and its Adam, the position in the regression
     * pairs (the pairs themselves are rebuilt by the constructor from the setup's seed) and, with
     * the GAN term, the discriminator's training.
     */
    @Override
    public void writeState(StateWriter out) {
        super.writeState(out);
        out.module("fake-score", fake.module()).optimizer("fake-optimizer", fakeOptimizer);
        if (pairs != null) {
            pairs.writeState(out);
        } else {
            out.counter("pair-cursor", 0);   // the layout of every DMD state file, regression or not
        }
        if (gan != null) {
            out.part("discriminator", gan);
        }
    }

    @Override
    public void readState(StateReader in) {
        super.readState(in);
        in.module("fake-score", fake.module());
        in.optimizer("fake-optimizer", fakeOptimizer);
        if (pairs != null) {
            pairs.readState(in);
        } else {
            in.counter("pair-cursor");
        }
        if (gan != null) {
            in.part("discriminator", gan);
        }
    }

    /** The auxiliary fake-score model (for tests). */
    public Student fakeScore() {
        return fake;
    }
}
