package dev.distillery.diffusion.process;

import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import dev.distillery.diffusion.schedule.NoiseSchedule;

/**
 * Samples of the forward marginal {@code q(z_t | x) = N(alpha(t) x, sigma(t)^2 I)} (MATH.md
 * section 1): {@code z_t = alpha x + sigma eps}, {@code eps ~ N(0, I)}. The noise is element
 * {@code offset + i} of the Philox stream of the key, so a call is a pure function of its inputs.
 */
public final class ForwardProcess {
    private ForwardProcess() {}

    /**
     * A noised batch and the noise that made it.
     *
     * @param z {@code alpha x + sigma eps}
     * @param eps the standard normal noise
     */
    public record Noised(Tensor z, Tensor eps) {
    }

    /**
     * {@code z = alpha x0 + sigma eps} with {@code eps = randn(key, offset)}; alpha and sigma per sample
     * ({@code [B]}) or scalar; differentiable in x0.
     */
    public static Noised sample(Tensor x0, Tensor alpha, Tensor sigma, RngKey key, long offset) {
        Tensor eps = Tensor.randn(x0.dtype(), key.value(), offset, x0.shape().dims());
        return new Noised(noise(x0, eps, alpha, sigma), eps);
    }

    /** {@code alpha x0 + sigma eps} for given noise. */
    public static Tensor noise(Tensor x0, Tensor eps, Tensor alpha, Tensor sigma) {
        return x0.mul(PerSample.broadcast(alpha, x0)).add(eps.mul(PerSample.broadcast(sigma, x0)));
    }

    /** {@code q(z_t | x0)} at continuous times t {@code [B]} of schedule s. */
    public static Noised sample(Tensor x0, NoiseSchedule s, Tensor t, RngKey key, long offset) {
        return sample(x0, PerSample.alpha(s, t, x0), PerSample.sigma(s, t, x0), key, offset);
    }

    /** {@code q(x_t | x_0)} at discrete steps {@code steps[b]} in 0..T (exact grid values). */
    public static Noised sample(Tensor x0, DiscreteSchedule s, int[] steps, RngKey key, long offset) {
        double[] a = new double[steps.length];
        double[] sg = new double[steps.length];
        for (int b = 0; b < steps.length; b++) {
            a[b] = s.alpha(steps[b]);
            sg[b] = s.sigma(steps[b]);
        }
        return sample(x0, PerSample.of(a, x0), PerSample.of(sg, x0), key, offset);
    }
}
