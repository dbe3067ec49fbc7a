package dev.distillery.distill.adversarial;

import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.gan.Discriminator;
import dev.distillery.distill.gan.DiscriminatorTrainer;
import dev.distillery.distill.gan.FeatureNetworks;
import dev.distillery.distill.gan.GanLoss;
import dev.distillery.distill.Student;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.FeatureExtractor;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.MlpDenoiser;
import dev.distillery.nn.optim.LearningRate;

/**
 * Adversarial loss on every step (Kandinsky 3.1's distillation, MATH.md section 6.13: the generator is
 * the Kandinsky 3.0 teacher, the discriminator its frozen downsampling half with trainable heads).
 * A few-step student, initialised from the teacher, trained <em>only</em> adversarially at each
 * of its n steps (fed real data noised to its step time, as ADD), against a discriminator made of
 * the teacher's own frozen encoder with trainable time-conditioned heads. The encoder reads noisy
 * inputs, so real and generated samples are re-noised to a shared {@code t_d ~ U(0, 0.5)}
 * first (as LADD, Sauer et al. 2024, does with teacher features). Encoder by teacher network:
 * a UNet's downsampling half ({@link FeatureExtractor}), an MLP's hidden layers
 * ({@link FeatureNetworks#mlpDenoiserHidden}); with the analytic teacher (no network), a frozen
 * <em>randomly initialised</em> network of the student architecture stands in, which the report
 * states. Hinge loss, R1 on the head inputs (gamma 1e-5, as ADD).
 */
public final class AdversarialEveryStep extends AdversarialStudentDistiller {
    /** The registry name (the {@code Methods} entry and the {@code --methods} spelling). */
    public static final String NAME = "adversarial-every-step";


    /**
     * @param studentSteps         n student steps (4)
     * @param lr                   student learning rate
     * @param discriminatorLr      heads' learning rate
     * @param beta1                Adam beta1
     * @param r1Gamma              R1 on the head inputs
     * @param discriminatorMaxTime t_d ~ U(0, this) for the noisy discriminator inputs
     * @param headHidden           hidden channels of each head
     * @param discriminatorSteps   head updates per student update
     * @param emaDecay             decay of the student EMA that samples (0: the live student)
     * @param decayShare           final share of the run over which the student's learning rate decays to 0
     * @param startTime            the time of the student's first step ({@link dev.distillery.distill.matching.FewStepSampler#startTime()}; 1: pure noise)
     */
    public record Config(int studentSteps, double lr, double discriminatorLr, double beta1, double r1Gamma,
                         double discriminatorMaxTime, int headHidden, int discriminatorSteps, double emaDecay,
                         double decayShare, double startTime) {
        /**
         * Four student steps, Adam 5e-4 for the student and the heads with beta1 0.5 (GAN practice),
         * R1 1e-5 on the head inputs (ADD's), t_d up to 0.5, one head update per student update, and
         * sampling from a student EMA of decay 0.995 (as DDGAN's recipe here): the GAN's parameter
         * noise moves samples by more than the HQ radius, and the average removes it (1500 steps:
         * 21 modes / HQ 0.73 live, 23 / 0.79 from the EMA; 2000 steps from the EMA: 24 / 0.82;
         * docs/RESULTS.md, adversarial section). The first step reads its noise at t = 0.9 instead
         * of 1 ({@link dev.distillery.distill.matching.FewStepSampler#startTime()}): at t = 1 the
         * teacher-initialised first step outputs the data mean, which is the centre mode, for every
         * noise; the shared discriminator then learns that the centre is fake and the later steps leave
         * it empty (0 of 2000 samples after 2000 steps); at 0.9 the first step already spreads, the centre
         * holds 60 and HQ rises 0.82 -> 0.85 (start 0.95 / 0.8 / 0.7: 21 / 23 / 20 modes, the earlier
         * ones over-filling the inner modes; docs/RESULTS.md, "generator start time").
         */
        public static Config defaults() {
            return new Config(4, 5e-4, 5e-4, 0.5, 1e-5, 0.5, 64, 1, 0.995, 0.0, 0.9);
        }

        public Config withTraining(int dSteps, double ema, double decay) {
            return new Config(studentSteps, lr, discriminatorLr, beta1, r1Gamma, discriminatorMaxTime, headHidden, dSteps,
                    ema, decay, startTime);
        }

        public Config withRates(double newLr, double newDiscriminatorLr) {
            return new Config(studentSteps, newLr, newDiscriminatorLr, beta1, r1Gamma, discriminatorMaxTime, headHidden,
                    discriminatorSteps, emaDecay, decayShare, startTime);
        }

        /** The same with the student's first step at time {@code t}. */
        public Config withStartTime(double t) {
            return new Config(studentSteps, lr, discriminatorLr, beta1, r1Gamma, discriminatorMaxTime, headHidden,
                    discriminatorSteps, emaDecay, decayShare, t);
        }

        public Config withDiscriminatorMaxTime(double t) {
            return new Config(studentSteps, lr, discriminatorLr, beta1, r1Gamma, t, headHidden, discriminatorSteps,
                    emaDecay, decayShare, startTime);
        }
    }

    /** A run of unknown length: requires a constant learning rate ({@code decayShare = 0}). */
    public AdversarialEveryStep(DistillSetup setup, Config config) {
        this(setup, config, 0);
    }

    /** A run of {@code trainingSteps} steps (the length of the learning-rate decay). */
    public AdversarialEveryStep(DistillSetup setup, Config config, long trainingSteps) {
        super(step(setup, config, trainingSteps));
    }

    private static AdversarialStudent step(DistillSetup setup, Config config, long trainingSteps) {
        FeatureExtractor encoder = teacherEncoder(setup);
        double timeScale = setup.studentConfig() instanceof MlpConfig m ? m.timeScale() : 1000.0;
        Discriminator d = Discriminator.over(encoder, config.headHidden(), 64, timeScale, setup.dtype(),
                setup.seed() + 6);
        DiscriminatorTrainer trainer = new DiscriminatorTrainer(d, new DiscriminatorTrainer.Config(GanLoss.HINGE,
                config.discriminatorSteps(), config.discriminatorLr(), config.beta1(), 0.999, config.r1Gamma(),
                DiscriminatorTrainer.R1On.FEATURES, 16));
        return new AdversarialStudent(setup, Student.create(setup, true, 1),
                LearningRate.decayOverFinalShare(config.lr(), config.decayShare(), trainingSteps), config.beta1(), trainer,
                config.studentSteps(), 0.0, 0.02, 0.98, config.discriminatorMaxTime(), config.emaDecay(), config.startTime());
    }

    /** The teacher's frozen encoder (a copy), or a frozen random network of the student architecture. */
    static FeatureExtractor teacherEncoder(DistillSetup setup) {
        Module net = setup.teacherNetwork() != null ? setup.teacherNetwork().copy() : setup.studentConfig().build();
        if (net instanceof MlpDenoiser mlp) {
            return FeatureNetworks.mlpDenoiserHidden(mlp);
        }
        if (net instanceof FeatureExtractor fe) {
            return FeatureNetworks.of(fe);
        }
        throw new IllegalArgumentException("no encoder features for " + net);
    }

    @Override
    public String name() {
        return NAME;
    }
}
