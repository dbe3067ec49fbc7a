package dev.distillery.distill.adversarial;

import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.gan.Discriminator;
import dev.distillery.distill.gan.DiscriminatorTrainer;
import dev.distillery.distill.gan.FeatureNetworks;
import dev.distillery.distill.gan.GanLoss;
import dev.distillery.distill.matching.Student;

/**
 * Adversarial diffusion distillation (Sauer et al. 2023, "Adversarial diffusion distillation";
 * seeds 000, 002; MATH.md section 6). The student {@code x_hat_theta(x_s, s)} runs at n student
 * timesteps ({@code tau_i = 1 - i/n}, n = 4: ADD's 999, 749, 499, 249), is fed real data noised
 * to s and starts from the teacher when there is a teacher network. Its loss is
 * <pre>
 *   L = -sum_k E D_k(F_k(x_hat)) + lambda E c(t) ||x_hat - sg(x_hat_teacher(alpha_t x_hat + sigma_t eps', t))||^2
 * </pre>
 * with the hinge discriminator loss over trainable heads on a frozen feature network and R1 on
 * the head inputs (features), gamma = 1e-5, lambda = 2.5, c(t) = alpha_t (ADD's exponential
 * weighting: high noise levels contribute less), MSE distance (the paper's best). The feature
 * network for 2-D data is a frozen random MLP ({@link FeatureNetworks#randomMlp}) in place of
 * ADD's DINOv2 ViT; for other data, pass a {@link FeatureNetworks.Frozen} of a pretrained network.
 */
public final class AdversarialDiffusionDistillation extends AdversarialStudentDistiller {

    /**
     * @param studentSteps     n student timesteps (ADD: 4)
     * @param lr               student Adam learning rate
     * @param discriminatorLr  heads' Adam learning rate
     * @param beta1            Adam beta1 of both (0.5, GAN practice)
     * @param distillWeight    lambda (ADD: 2.5)
     * @param r1Gamma          R1 weight on the head inputs (ADD: 1e-5)
     * @param tMin             smallest time of the distillation re-noising
     * @param tMax             largest time of the distillation re-noising
     * @param featureWidth     width of the frozen random feature MLP (2-D data)
     * @param featureLayers    its depth
     * @param headHidden       hidden channels of each head
     */
    public record Config(int studentSteps, double lr, double discriminatorLr, double beta1, double distillWeight,
                         double r1Gamma, double tMin, double tMax, int featureWidth, int featureLayers, int headHidden) {
        public static Config defaults() {
            return new Config(4, 5e-4, 5e-4, 0.5, 2.5, 1e-5, 0.02, 0.98, 128, 3, 64);
        }

        /** The distillation term's weight lambda and its re-noising times {@code t ~ U(tMin, tMax)}. */
        public Config withDistillation(double lambda, double newTMin, double newTMax) {
            return new Config(studentSteps, lr, discriminatorLr, beta1, lambda, r1Gamma, newTMin, newTMax, featureWidth,
                    featureLayers, headHidden);
        }
    }

    public AdversarialDiffusionDistillation(DistillSetup setup, Config config) {
        this(setup, config, Discriminator.overRandomFeatures(dataSize(setup), config.featureWidth(),
                config.featureLayers(), config.headHidden(), setup.dtype(), setup.seed() + 5));
    }

    /** With a given discriminator (e.g. heads over a pretrained feature network). */
    public AdversarialDiffusionDistillation(DistillSetup setup, Config config, Discriminator discriminator) {
        super(step(setup, config, discriminator));
    }

    private static AdversarialStudent step(DistillSetup setup, Config config, Discriminator discriminator) {
        DiscriminatorTrainer trainer = new DiscriminatorTrainer(discriminator, new DiscriminatorTrainer.Config(
                GanLoss.HINGE, 1, config.discriminatorLr(), config.beta1(), 0.999, config.r1Gamma(),
                DiscriminatorTrainer.R1On.FEATURES, 16));
        return new AdversarialStudent(setup, Student.create(setup, true, 1), config.lr(), config.beta1(), trainer,
                config.studentSteps(), config.distillWeight(), config.tMin(), config.tMax(), 0.0);
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
        return "add";
    }
}
