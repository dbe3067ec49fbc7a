package dev.distillery.distill.adversarial;

import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.gan.Discriminator;
import dev.distillery.distill.gan.DiscriminatorTrainer;
import dev.distillery.distill.gan.FeatureNetworks;
import dev.distillery.distill.gan.GanLoss;
import dev.distillery.distill.matching.Student;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.FeatureExtractor;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.MlpDenoiser;

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

    /**
     * @param studentSteps         n student steps (4)
     * @param lr                   student learning rate
     * @param discriminatorLr      heads' learning rate
     * @param beta1                Adam beta1
     * @param r1Gamma              R1 on the head inputs
     * @param discriminatorMaxTime t_d ~ U(0, this) for the noisy discriminator inputs
     * @param headHidden           hidden channels of each head
     */
    public record Config(int studentSteps, double lr, double discriminatorLr, double beta1, double r1Gamma,
                         double discriminatorMaxTime, int headHidden) {
        public static Config defaults() {
            return new Config(4, 5e-4, 5e-4, 0.5, 1e-5, 0.5, 64);
        }
    }

    public AdversarialEveryStep(DistillSetup setup, Config config) {
        super(step(setup, config));
    }

    private static AdversarialStudent step(DistillSetup setup, Config config) {
        FeatureExtractor encoder = teacherEncoder(setup);
        double timeScale = setup.studentConfig() instanceof MlpConfig m ? m.timeScale() : 1000.0;
        Discriminator d = Discriminator.over(encoder, config.headHidden(), 64, timeScale, setup.dtype(),
                setup.seed() + 6);
        DiscriminatorTrainer trainer = new DiscriminatorTrainer(d, new DiscriminatorTrainer.Config(GanLoss.HINGE, 1,
                config.discriminatorLr(), config.beta1(), 0.999, config.r1Gamma(), DiscriminatorTrainer.R1On.FEATURES, 16));
        return new AdversarialStudent(setup, Student.create(setup, true, 1), config.lr(), config.beta1(), trainer,
                config.studentSteps(), 0.0, 0.02, 0.98, config.discriminatorMaxTime());
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
        return "adversarial-every-step";
    }
}
