package dev.distillery.distill.matching;

import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.distill.gan.DiscriminatorTrainer;
import dev.distillery.nn.models.ModelInput;

/**
 * Discriminator inputs with instance noise on the diffusion schedule: real and generated samples
 * are both noised to one shared {@code t_d ~ U(0, maxTime)} per sample,
 * {@code x_td = alpha(t_d) x + sigma(t_d) eps} with independent eps, and the (time-conditioned)
 * discriminator reads t_d. Noise makes the two distributions overlap, so the discriminator's
 * gradient reaches generated samples far from any real one (Xiao et al. 2022 and Wang et al. 2023,
 * "Diffusion-GAN"; DMD2's discriminator reads the fake score's features of noisy inputs, Yin et al.
 * 2024b, section 4.3; LADD, Sauer et al. 2024, section 3).
 */
public final class InstanceNoise {
    private InstanceNoise() {
    }

    /** Both halves noised to a shared t_d per sample; {@code maxTime <= 0} leaves them clean and unconditioned. */
    public static DiscriminatorTrainer.Batch batch(NoiseSchedule schedule, Tensor real, Tensor fake, double maxTime, Rng rng) {
        if (maxTime <= 0) {
            return new DiscriminatorTrainer.Batch(real, fake, null, null);
        }
        int b = real.dim(0);
        double[] td = new double[b];
        double[] a = new double[b];
        double[] sg = new double[b];
        for (int i = 0; i < b; i++) {
            td[i] = maxTime * rng.nextDouble();
            a[i] = schedule.alpha(td[i]);
            sg[i] = schedule.sigma(td[i]);
        }
        Tensor alpha = PerSample.broadcast(Tensor.of(real.dtype(), a, b), real);
        Tensor sigma = PerSample.broadcast(Tensor.of(real.dtype(), sg, b), real);
        Tensor t = Tensor.of(real.dtype(), td, b);
        Tensor noiseR = Tensor.randn(real.dtype(), rng, real.shape().dims());
        Tensor noiseF = Tensor.randn(real.dtype(), rng, real.shape().dims());
        ModelInput cond = ModelInput.of(real, t);
        return new DiscriminatorTrainer.Batch(real.mul(alpha).add(noiseR.mul(sigma)), fake.mul(alpha).add(noiseF.mul(sigma)),
                cond, cond);
    }
}
