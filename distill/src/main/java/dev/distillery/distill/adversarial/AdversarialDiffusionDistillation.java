package dev.distillery.distill.adversarial;

import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.gan.Discriminator;
import dev.distillery.distill.gan.DiscriminatorTrainer;
import dev.distillery.distill.gan.GanLoss;
import dev.distillery.distill.gan.MlpDiscriminator;
import dev.distillery.distill.Student;
import dev.distillery.nn.models.FeatureExtractor;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.UNet;
import dev.distillery.nn.optim.LearningRate;

/**
 * Adversarial diffusion distillation (Sauer et al. 2023, "Adversarial diffusion distillation";
 * MATH.md section 6.12). The student {@code x_hat_theta(x_s, s)} runs at n student
 * timesteps ({@code tau_i = 1 - i/n}, n = 4: ADD's 999, 749, 499, 249, section 4), is fed real
 * data noised to s and starts from the teacher when there is a teacher network (section 3.1). Its
 * loss (eq. 2-4) is
 * <pre>
 *   L = -E D(x_hat) + lambda E c(t) ||x_hat - sg(x_hat_teacher(alpha_t x_hat + sigma_t eps', t))||^2
 * </pre>
 * with the hinge discriminator loss (eq. 3) and R1 on the discriminator's real input, c(t) =
 * alpha_t (ADD's exponential weighting, appendix: high noise levels contribute less), MSE distance
 * (the paper's best, table 1).
 *
 * <p><b>Discriminator.</b> ADD's is trainable heads over frozen DINOv2 ViT features (section 3.2),
 * an image-specific choice: pretrained features already separate images. On vector data (2-D
 * points) no such network exists, and heads over a frozen <em>random</em> network gave a weak,
 * blurry signal (1 of 25 modes); the honest analogue is a fully trainable
 * {@link MlpDiscriminator} with Fourier features of its input, with R1 on that input (ADD takes
 * R1 on the heads' inputs, which here are the input). Other data gets heads over a frozen random
 * MLP of the flattened sample unless a discriminator over a pretrained network is passed.
 */
public final class AdversarialDiffusionDistillation extends AdversarialStudentDistiller {
    /** The registry name (the {@code Methods} entry and the {@code --methods} spelling). */
    public static final String NAME = "add";

    /**
     * @param studentSteps     n student timesteps (ADD section 4: 4)
     * @param lr               student Adam learning rate
     * @param discriminatorLr  discriminator Adam learning rate
     * @param beta1            Adam beta1 of both (0.5, GAN practice; Radford et al. 2016)
     * @param beta2            Adam beta2 of the discriminator (0.99, StyleGAN2 / ADD's StyleGAN-T lineage)
     * @param distillWeight    lambda (ADD section 4: 2.5)
     * @param r1Gamma          R1 weight on the discriminator's real input
     * @param tMin             smallest time of the distillation re-noising
     * @param tMax             largest time of the distillation re-noising
     * @param discriminatorWidth  hidden width of the MLP discriminator (vector data) or of the frozen feature MLP
     * @param discriminatorLayers its hidden layers
     * @param discriminatorFourier Fourier features of its input (vector data; 0: none)
     * @param discriminatorSteps discriminator updates per student update
     * @param emaDecay         decay of the student EMA that samples (0: the live student)
     * @param decayShare       final share of the run over which the student's learning rate decays to 0
     * @param startTime        the time of the student's first step ({@link dev.distillery.distill.matching.FewStepSampler#startTime()}; the paper: 1)
     * @param discriminatorMaxTime real and generated samples re-noised to a shared {@code t_d ~ U(0, this)} before
     *                         the discriminator reads them (0: clean; the teacher-encoder discriminator of image
     *                         data needs noise, as LADD, Sauer et al. 2024, section 3)
     */
    public record Config(int studentSteps, double lr, double discriminatorLr, double beta1, double beta2,
                         double distillWeight, double r1Gamma, double tMin, double tMax, int discriminatorWidth,
                         int discriminatorLayers, int discriminatorFourier, int discriminatorSteps, double emaDecay,
                         double decayShare, double startTime, double discriminatorMaxTime) {
        /** The paper's values where they carry over (n, lambda, t range); see each parameter. */
        public static Config defaults() {
            return new Config(4, 5e-4, 5e-4, 0.5, 0.99, 2.5, 0.1, 0.02, 0.98, 128, 2, 64, 1, 0.0, 0.0, 1.0, 0.0);
        }

        /**
         * The 25-Gaussians recipe (measured, docs/RESULTS.md, adversarial section; 2000 steps, batch 128,
         * evaluated at 1 step): a lighter distillation term, lambda 0.5 on t in (0.02, 0.5) instead
         * of 2.5 on (0.02, 0.98) (the distillation term is SDS-like and mode-seeking, section 3.3; at
         * high t the teacher's x0 of a 25-mode mixture is near the data mean and pulls every sample
         * there: with the paper's values the student collapsed onto 1 mode), R1 gamma 0.01 (0.1
         * also collapsed onto 1 mode), the student trained only at its top time (n = 1: the
         * natural 1-step sampler reads only t = 1; with the paper's n = 4 it reached 8 modes / HQ
         * 0.61 at 1 step, with n = 1 10 / 0.67), and 2 discriminator updates per student update (16 /
         * 0.69; 1 update 10, 3 updates 12 modes; lambda 2 on t in (0.02, 0.2) diverged at this lr and
         * gave 7 modes / HQ 0.78 at lr 2e-4: the sharp pull to the nearest mode also drops modes).
         * The student reads its noise at t = 0.75 instead of 1 ({@link
         * dev.distillery.distill.matching.FewStepSampler#startTime()}): from the teacher's weights it
         * then starts as a blurred picture of the data, not the constant data mean, and samples a
         * student EMA of decay 0.995 (as adversarial-every-step); start 1 / 0.9 / 0.8 / 0.7 gave 15 /
         * 16 / 20 / 19 modes at HQ 0.67 / 0.67 / 0.78 / 0.79 after 2000 steps, start 0.75 with the EMA
         * 20 / 0.81 (docs/RESULTS.md, "generator start time").
         */
        public static Config gaussians25() {
            return defaults().withDistillation(0.5, 0.02, 0.5).withDiscriminator(0.01, 128, 2, 64).withStudentSteps(1)
                    .withDiscriminatorSteps(2).withStudentAveraging(0.995, 0.0).withStartTime(0.75);
        }

        /** The distillation term's weight lambda and its re-noising times {@code t ~ U(tMin, tMax)}. */
        public Config withDistillation(double lambda, double newTMin, double newTMax) {
            return new Config(studentSteps, lr, discriminatorLr, beta1, beta2, lambda, r1Gamma, newTMin, newTMax,
                    discriminatorWidth, discriminatorLayers, discriminatorFourier, discriminatorSteps, emaDecay, decayShare,
                    startTime, discriminatorMaxTime);
        }

        public Config withOptimizer(double newLr, double newDiscriminatorLr, double newBeta1, double newBeta2) {
            return new Config(studentSteps, newLr, newDiscriminatorLr, newBeta1, newBeta2, distillWeight, r1Gamma, tMin,
                    tMax, discriminatorWidth, discriminatorLayers, discriminatorFourier, discriminatorSteps, emaDecay, decayShare,
                    startTime, discriminatorMaxTime);
        }

        public Config withDiscriminator(double gamma, int width, int layers, int fourier) {
            return new Config(studentSteps, lr, discriminatorLr, beta1, beta2, distillWeight, gamma, tMin, tMax, width,
                    layers, fourier, discriminatorSteps, emaDecay, decayShare,
                    startTime, discriminatorMaxTime);
        }

        /** Discriminator updates per student update. */
        public Config withDiscriminatorSteps(int k) {
            return new Config(studentSteps, lr, discriminatorLr, beta1, beta2, distillWeight, r1Gamma, tMin, tMax,
                    discriminatorWidth, discriminatorLayers, discriminatorFourier, k, emaDecay, decayShare,
                    startTime, discriminatorMaxTime);
        }

        /** The student's EMA for sampling (0: none) and the final share of the run its learning rate decays over. */
        public Config withStudentAveraging(double ema, double decay) {
            return new Config(studentSteps, lr, discriminatorLr, beta1, beta2, distillWeight, r1Gamma, tMin, tMax,
                    discriminatorWidth, discriminatorLayers, discriminatorFourier, discriminatorSteps, ema, decay,
                    startTime, discriminatorMaxTime);
        }

        /** The same with the student's first step at time {@code t} ({@link dev.distillery.distill.matching.FewStepSampler#startTime()}). */
        public Config withStartTime(double t) {
            return new Config(studentSteps, lr, discriminatorLr, beta1, beta2, distillWeight, r1Gamma, tMin, tMax,
                    discriminatorWidth, discriminatorLayers, discriminatorFourier, discriminatorSteps, emaDecay, decayShare,
                    t, discriminatorMaxTime);
        }

        /** The discriminator's inputs re-noised to {@code t_d ~ U(0, t)} (0: clean). */
        public Config withDiscriminatorMaxTime(double t) {
            return new Config(studentSteps, lr, discriminatorLr, beta1, beta2, distillWeight, r1Gamma, tMin, tMax,
                    discriminatorWidth, discriminatorLayers, discriminatorFourier, discriminatorSteps, emaDecay, decayShare,
                    startTime, t);
        }

        public Config withStudentSteps(int n) {
            return new Config(n, lr, discriminatorLr, beta1, beta2, distillWeight, r1Gamma, tMin, tMax,
                    discriminatorWidth, discriminatorLayers, discriminatorFourier, discriminatorSteps, emaDecay, decayShare,
                    startTime, discriminatorMaxTime);
        }
    }

    /** Hidden channels and time-embedding width of the heads over a teacher's encoder (adversarial-every-step's). */
    private static final int ENCODER_HEAD_WIDTH = 64;

    /** A run of unknown length: requires a constant learning rate ({@code decayShare = 0}). */
    public AdversarialDiffusionDistillation(DistillSetup setup, Config config) {
        this(setup, config, 0L);
    }

    /** A run of {@code trainingSteps} steps (the length of the learning-rate decay). */
    public AdversarialDiffusionDistillation(DistillSetup setup, Config config, long trainingSteps) {
        super(step(setup, config, defaultTrainer(setup, config), trainingSteps));
    }

    /** With a given discriminator (e.g. heads over a pretrained feature network), R1 on its head inputs. */
    public AdversarialDiffusionDistillation(DistillSetup setup, Config config, Discriminator discriminator) {
        super(step(setup, config, new DiscriminatorTrainer(discriminator, trainerConfig(config,
                DiscriminatorTrainer.R1On.FEATURES)), 0L));
    }

    private static DiscriminatorTrainer.Config trainerConfig(Config config, DiscriminatorTrainer.R1On r1On) {
        return new DiscriminatorTrainer.Config(GanLoss.HINGE, config.discriminatorSteps(), config.discriminatorLr(), config.beta1(),
                config.beta2(), config.r1Gamma(), r1On, 16);
    }

    /**
     * A trainable MLP discriminator with Fourier features on vector data; on images with a teacher
     * network that has an encoder, heads over that frozen encoder (the pretrained image network at
     * hand, as ADD's DINOv2; LADD's teacher features), reading inputs re-noised to
     * {@code t_d ~ U(0, discriminatorMaxTime)}; else heads over a frozen random MLP of the flattened
     * sample. On the digits (300 steps, seed 0, FD at 1 / 2 / 4 steps against the teacher's
     * DDIM-50 at 1.01) heads over random features gave 7.6 / 9.4 / 10.9, precision 1.0 and recall
     * 0.35 at 4 steps: the heads could not tell digits apart, and the student drifted to a few
     * bold-stroke styles. Over the teacher's encoder with t_d up to 0.5 and R1 1e-5 (ADD's): 1.82 /
     * 1.67 / 2.17 at the 25-Gaussians lambda 0.5, 1.31 / 1.26 / 1.45 at lambda 0.2
     * (docs/RESULTS.md, digits students).
     */
    private static DiscriminatorTrainer defaultTrainer(DistillSetup setup, Config config) {
        int n = dataSize(setup);
        if (setup.sampleShape().length > 1 && setup.teacherNetwork() instanceof FeatureExtractor) {
            if (config.discriminatorMaxTime() <= 0) {
                throw new IllegalArgumentException("add: the discriminator over the teacher's encoder reads noisy inputs; "
                        + "set dmax > 0 (e.g. --set dmax=0.5)");
            }
            // the heads embed t_d on the scale the encoder embeds t (a U-Net's own), so both read one time
            double timeScale = setup.teacherNetwork() instanceof UNet u ? u.config().timeScale() : 1000.0;
            Discriminator d = Discriminator.over(AdversarialEveryStep.teacherEncoder(setup), ENCODER_HEAD_WIDTH,
                    ENCODER_HEAD_WIDTH, timeScale, setup.dtype(), setup.seed() + 5);
            return new DiscriminatorTrainer(d, trainerConfig(config, DiscriminatorTrainer.R1On.FEATURES));
        }
        if (setup.sampleShape().length == 1) {
            double scale = setup.studentConfig() instanceof MlpConfig m && m.inputFourierFeatures() > 0
                    ? m.inputFourierScale() : 0.7;
            MlpDiscriminator d = new MlpDiscriminator.Config(n, 1, config.discriminatorWidth(),
                    config.discriminatorLayers(), config.discriminatorFourier(), scale, 0, 1.0, setup.dtype(),
                    setup.seed() + 5).build();
            return new DiscriminatorTrainer(d, trainerConfig(config, DiscriminatorTrainer.R1On.PIXELS));
        }
        return new DiscriminatorTrainer(Discriminator.overRandomFeatures(n, config.discriminatorWidth(),
                config.discriminatorLayers(), 64, setup.dtype(), setup.seed() + 5),
                trainerConfig(config, DiscriminatorTrainer.R1On.FEATURES));
    }

    private static AdversarialStudent step(DistillSetup setup, Config config, DiscriminatorTrainer trainer,
                                           long trainingSteps) {
        return new AdversarialStudent(setup, Student.create(setup, true, 1),
                LearningRate.decayOverFinalShare(config.lr(), config.decayShare(), trainingSteps), config.beta1(), trainer,
                config.studentSteps(), config.distillWeight(), config.tMin(), config.tMax(), config.discriminatorMaxTime(),
                config.emaDecay(), config.startTime());
    }

    private static int dataSize(DistillSetup setup) {
        int n = 1;
        for (int d : setup.sampleShape()) {
            n *= d;
        }
        return n;
    }

    @Override
    public String name() {
        return NAME;
    }
}
