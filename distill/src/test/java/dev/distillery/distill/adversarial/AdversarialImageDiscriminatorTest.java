package dev.distillery.distill.adversarial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.data.DataSource;
import dev.distillery.diffusion.denoise.NeuralDenoisers;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.gan.Discriminator;
import dev.distillery.nn.models.UNet;
import dev.distillery.nn.models.UNetConfig;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * ADD's discriminator on image data: heads over the teacher's frozen encoder (the pretrained
 * image network at hand) reading inputs re-noised to t_d, which must therefore be allowed noise.
 */
class AdversarialImageDiscriminatorTest {

    private static final UNetConfig NET = UNetConfig.tiny().withSeed(3L);

    private static DistillSetup images(boolean withTeacherNetwork) {
        UNet teacher = (UNet) NET.build().freeze().eval();
        DataSource data = (n, rng) -> new DataSource.Batch(Tensor.randn(DType.F64, rng, n, 1, 8, 8), null);
        return new DistillSetup(NeuralDenoisers.of(teacher, Prediction.V, ContinuousCosine.INSTANCE),
                withTeacherNetwork ? teacher : null, NET, data, new int[] {1, 8, 8}, DType.F64, 4, 7L);
    }

    private static AdversarialDiffusionDistillation.Config config(double dmax) {
        return AdversarialDiffusionDistillation.Config.defaults().withStudentSteps(4).withDiscriminatorMaxTime(dmax);
    }

    @Test
    void withATeacherNetworkTheDiscriminatorReadsItsEncoderFeaturesOfNoisyInputs() {
        DistillSetup setup = images(true);
        AdversarialDiffusionDistillation add = new AdversarialDiffusionDistillation(setup, config(0.5));
        Discriminator d = add.discriminatorTrainer().discriminator();
        assertNotNull(d, "heads over a feature network");
        assertEquals(((UNet) setup.teacherNetwork()).featureChannels(), d.featureNetwork().featureChannels());
        assertNull(add.discriminatorTrainer().fullDiscriminator(), "not the vector data's MLP discriminator");

        Map<String, Double> losses = add.step(new Rng(1));
        for (String key : new String[] {"g_adv", "distill"}) {
            assertTrue(Double.isFinite(losses.get(key)), key + " " + losses);
        }
    }

    @Test
    void theEncoderNeedsNoisyInputsSoCleanOnesAreRefusedWithTheKnobToSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AdversarialDiffusionDistillation(images(true), config(0.0)));
        assertTrue(e.getMessage().contains("dmax"), e.getMessage());
    }

    @Test
    void withoutATeacherNetworkImagesGetHeadsOverFrozenRandomFeatures() {
        AdversarialDiffusionDistillation add = new AdversarialDiffusionDistillation(images(false), config(0.0));
        Discriminator d = add.discriminatorTrainer().discriminator();
        // the flattened 8x8 input and the two hidden layers of the random MLP (width 128)
        assertEquals(java.util.List.of(64, 128, 128), d.featureNetwork().featureChannels());
    }
}
