package dev.distillery.distill.matching;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.core.DdimStep;
import dev.distillery.distill.core.PerSample;
import dev.distillery.distill.gan.Discriminator;
import dev.distillery.distill.gan.DiscriminatorTrainer;
import dev.distillery.distill.gan.GanLoss;
import dev.distillery.nn.optim.Adam;
import dev.distillery.nn.optim.LearningRate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Distribution matching distillation: DMD (Yin et al. 2024, "One-step diffusion with distribution
 * matching distillation", Algorithm 1) and DMD2 (Yin et al. 2024b, "Improved distribution matching
 * distillation for fast image synthesis") as two configurations of one class (seed 001; MATH.md
 * section 6).
 *
 * <p>Each step: {@code fakeUpdates} updates of the auxiliary diffusion model {@code mu_fake} on
 * generator samples with the denoising loss {@code ||mu_fake(x_t, t) - x||^2} (x0-prediction,
 * uniform weight); then one generator update with DMD's normalised gradient
 * <pre>
 *   grad_x = alpha_t (mu_fake(x_t, t) - mu_real(x_t, t)) / mean_j |x - mu_real(x_t, t)|_j,   t ~ U(tMin, tMax)
 * </pre>
 * (eq. 8, {@code DmdGradient}) through the surrogate loss, plus for DMD the regression loss
 * {@code lambda_reg mean ||G(z_ref) - y_ref||^2} on noise-to-sample pairs the teacher made with
 * deterministic DDIM (precomputed at construction; the paper uses LPIPS, 2-D data uses l2).
 * DMD2 drops the regression loss, takes five fake-score updates per generator update (its "TTUR"),
 * and trains a multi-step student on its own earlier steps (backward simulation, section 4.5).
 * DMD2's optional GAN term ({@link Config#withGan}) adds {@code lambda_GAN L_G^adv(x)} to the
 * generator loss, with a non-saturating discriminator of real data against generator samples.
 * The paper puts its classifier head on the fake score network's encoder and trains both
 * together; here the heads sit on a frozen random feature network
 * ({@code Discriminator.overRandomFeatures}), as in every discriminator of this package.
 * Teacher: the real score; with a teacher network both the generator and mu_fake start from it.
 */
public final class DistributionMatchingDistillation extends GeneratorDistiller {

    /**
     * @param name             registry name ("dmd" or "dmd2")
     * @param lr               generator learning rate
     * @param fakeLr           auxiliary (fake score) learning rate
     * @param fakeUpdates      fake-score updates per generator update (DMD 1, DMD2 5)
     * @param regressionWeight lambda_reg (DMD 0.25, DMD2 0)
     * @param regressionPairs  number of precomputed teacher pairs (0 with lambda_reg = 0)
     * @param pairDdimSteps    teacher DDIM steps per pair
     * @param tMin             smallest diffusion time (DMD: 0.02 T)
     * @param tMax             largest diffusion time (DMD: 0.98 T)
     * @param studentSteps     student steps trained by backward simulation (DMD: 1; DMD2: 4)
     * @param beta1            Adam beta1 of both networks (DMD2 uses 0 for the GAN setting; 0.9 here)
     * @param ganWeight        lambda_GAN of DMD2's GAN term (0: none; the paper, ImageNet: 3e-3)
     */
    public record Config(String name, double lr, double fakeLr, int fakeUpdates, double regressionWeight,
                         int regressionPairs, int pairDdimSteps, double tMin, double tMax, int studentSteps,
                         double beta1, double ganWeight) {
        public Config {
            if (!(ganWeight >= 0)) {
                throw new IllegalArgumentException("ganWeight must be >= 0 (0 turns the GAN term off), got " + ganWeight);
            }
        }

        /** The same with DMD2's GAN term at weight {@code lambda}. */
        public Config withGan(double lambda) {
            return new Config(name, lr, fakeLr, fakeUpdates, regressionWeight, regressionPairs, pairDdimSteps, tMin, tMax,
                    studentSteps, beta1, lambda);
        }

        /** DMD: one fake update per generator update, lambda_reg = 0.25 (paper, section 4). */
        public static Config dmd() {
            return new Config("dmd", 1e-3, 1e-3, 1, 0.25, 2048, 32, 0.02, 0.98, 4, 0.9, 0.0);
        }

        /** DMD2: five fake updates per generator update, no regression, 4-step student. */
        public static Config dmd2() {
            return new Config("dmd2", 1e-3, 1e-3, 5, 0.0, 0, 32, 0.02, 0.98, 4, 0.9, 0.0);
        }
    }

    private final Config config;
    private final Student fake;
    private final Adam fakeOptimizer;
    private final Tensor pairNoise;
    private final Tensor pairTarget;
    private int pairCursor;
    private final DiscriminatorTrainer gan;

    public DistributionMatchingDistillation(DistillSetup setup, Config config) {
        super(new GeneratorTraining(setup, Student.create(setup, true, 1), config.lr(), config.beta1(), 0.999,
                config.studentSteps(), config.tMin(), config.tMax()));
        this.config = config;
        this.fake = Student.create(setup, true, 2);
        this.fakeOptimizer = new Adam(fake.module().namedParameters(), LearningRate.constant(config.fakeLr()),
                config.beta1(), 0.999, 1e-8, 0, false);
        this.gan = config.ganWeight() > 0 ? new DiscriminatorTrainer(Discriminator.overRandomFeatures(
                dataSize(setup), 128, 3, 64, setup.dtype(), setup.seed() + 5), new DiscriminatorTrainer.Config(
                GanLoss.NON_SATURATING, 1, config.fakeLr(), config.beta1(), 0.999, 1e-5,
                DiscriminatorTrainer.R1On.FEATURES, 16)) : null;
        if (config.regressionWeight() > 0) {
            Rng pairs = new Rng(setup.seed() + 3);
            this.pairNoise = Tensor.randn(setup.dtype(), pairs, setup.batchDims(config.regressionPairs()));
            this.pairTarget = teacherDdim(setup, pairNoise, config.pairDdimSteps());
        } else {
            this.pairNoise = null;
            this.pairTarget = null;
        }
    }

    /** The teacher's deterministic DDIM from t = 1 to 0 in {@code steps} uniform steps (MATH.md section 4). */
    static Tensor teacherDdim(DistillSetup setup, Tensor noise, int steps) {
        var schedule = setup.teacher().schedule();
        try (var off = Autograd.noGrad()) {
            Tensor z = noise;
            for (int i = steps; i > 0; i--) {
                double t = (double) i / steps;
                double s = (double) (i - 1) / steps;
                Tensor x0 = setup.teacher().x0(z, Tensor.full(z.dtype(), t, z.dim(0)), null);
                z = s == 0 ? x0 : DdimStep.deterministic(schedule, z, x0, t, s);
            }
            return z.detach();
        }
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
        if (config.regressionWeight() > 0) {
            int[] idx = new int[b];
            for (int i = 0; i < b; i++) {
                idx[i] = (pairCursor++) % pairNoise.dim(0);
            }
            Tensor pred = g.generator.x0(pairNoise.indexSelect(0, idx), 1.0);
            Tensor reg = pred.sub(pairTarget.indexSelect(0, idx)).square().mean();
            out.put("regression", reg.item());
            loss = loss.add(reg.mul(config.regressionWeight()));
        }
        if (gan != null) {
            Tensor real = g.setup.data().batch(b, rng).x().to(x.dtype());
            Tensor fake = x.detach();
            out.putAll(gan.train(() -> new DiscriminatorTrainer.Batch(real, fake, null, null)));
            Tensor adv = gan.generatorLoss(x, null);
            out.put("g_adv", adv.item());
            loss = loss.add(adv.mul(config.ganWeight()));
        }
        out.put("generator", g.update(loss));
        return out;
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
        Tensor loss = PerSample.squaredNorm(fake.x0(xt, tt.t()).sub(x)).mean();
        fakeOptimizer.zeroGrad();
        loss.backward();
        fakeOptimizer.step();
        return loss.item();
    }

    /** The auxiliary fake-score model (for tests). */
    public Student fakeScore() {
        return fake;
    }
}
