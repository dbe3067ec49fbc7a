package dev.distillery.diffusion.sampling;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.schedule.EdmConfig;
import dev.distillery.diffusion.schedule.KarrasSigmas;
import dev.distillery.diffusion.schedule.NoiseSchedule;

/**
 * A {@link Denoiser} seen in the EDM / variance-exploding view (Karras et al. 2022; MATH.md
 * section 0): {@code x = z / alpha(t)} has noise level {@code sigma_edm(t) = sigma/alpha}, and the
 * denoiser {@code D(x; sigma) = x_hat(alpha(t) x, t)} with {@code t = t(sigma)} from
 * {@link NoiseSchedule#timeFromSigmaEdm}. The probability-flow ODE (MATH 4) is then
 * {@code dx/dsigma = (x - D(x; sigma)) / sigma}.
 *
 * @param denoiser the underlying denoiser in continuous time
 */
public record EdmView(Denoiser denoiser) {

    /** {@code D(x; sigma)} for a batch x in EDM units. */
    public Tensor denoise(Tensor x, double sigmaEdm, Condition c) {
        NoiseSchedule s = denoiser.schedule();
        double t = s.timeFromSigmaEdm(sigmaEdm);
        double alpha = s.alpha(t);
        return denoiser.x0(x.mul(alpha), PerSample.time(t, x.dim(0), x.dtype()), c);
    }

    /** The ODE's direction {@code (x - D(x; sigma)) / sigma}. */
    public Tensor derivative(Tensor x, double sigmaEdm, Condition c) {
        return x.sub(denoise(x, sigmaEdm, c)).div(sigmaEdm);
    }

    /** {@code n} Karras levels (EDM config) followed by 0: the grid of EDM's Heun sampler, n steps. */
    public static double[] karrasWithZero(int n, EdmConfig config) {
        double[] levels = KarrasSigmas.levels(n, config);
        double[] out = java.util.Arrays.copyOf(levels, n + 1);
        out[n] = 0.0;
        return out;
    }
}
