package dev.distillery.diffusion.sampling;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.schedule.DiscreteKarras;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import dev.distillery.diffusion.schedule.EdmConfig;
import dev.distillery.diffusion.schedule.KarrasSigmas;
import dev.distillery.diffusion.schedule.NoiseSchedule;

import java.util.function.DoubleUnaryOperator;

/**
 * A {@link Denoiser} seen in the EDM / variance-exploding view (Karras et al. 2022; MATH.md
 * section 0): {@code x = z / alpha(t)} has noise level {@code sigma_edm(t) = sigma/alpha}, and the
 * denoiser {@code D(x; sigma) = x_hat(alpha(t) x, t)} with {@code t = t(sigma)} from
 * {@link NoiseSchedule#timeFromSigmaEdm}. The probability-flow ODE (MATH 4) is then
 * {@code dx/dsigma = (x - D(x; sigma)) / sigma}.
 *
 * <p>The methods taking {@code double[] sigma} give each sample of the batch its own noise level
 * (consistency models and CTM live in these units). Such levels must be positive and finite (the
 * VP time of {@code sigma_edm = infinity} is t = 1, where x is undefined).
 *
 * <p><b>Off-grid levels, as diffusers reads them.</b> A sampler on Karras levels of a discrete
 * schedule ({@code use_karras_sigmas}) meets levels between the training levels. This view maps
 * such a level through the schedule's own inverse (linear in abar between grid points, see
 * {@code DiscreteSchedule.asContinuous}); diffusers instead gives the network the timestep
 * interpolated linearly in log sigma ({@code _sigma_to_t}) and scales the input by
 * {@code 1/sqrt(sigma^2 + 1)} ({@code scale_model_input}). The two agree on the grid and differ
 * between grid points; {@link #diffusersDiscrete} builds the diffusers reading for the
 * single-level methods the samplers use.
 *
 * @param denoiser    the underlying denoiser in continuous time
 * @param timeOfSigma the network's time for a level, with the input scaled by {@code 1/sqrt(sigma^2 + 1)};
 *                    null: the schedule's inverse {@link NoiseSchedule#timeFromSigmaEdm} and {@code alpha(t)}
 */
public record EdmView(Denoiser denoiser, DoubleUnaryOperator timeOfSigma) {

    /** The view through the schedule's own inverse. */
    public EdmView(Denoiser denoiser) {
        this(denoiser, null);
    }

    /**
     * diffusers' reading of a level on the discrete schedule {@code s} (whose continuous view
     * {@code u = k/T} the denoiser uses): the network's time is
     * {@code (DiscreteKarras.timestepOfSigma(s, sigma) + 1) / T} (diffusers' 0-based fractional
     * timestep is our step k - 1) and the input {@code x / sqrt(sigma^2 + 1)}.
     */
    public static EdmView diffusersDiscrete(Denoiser denoiser, DiscreteSchedule s) {
        int steps = s.steps();
        return new EdmView(denoiser, sigma -> (DiscreteKarras.timestepOfSigma(s, sigma) + 1.0) / steps);
    }

    /** {@code D(x; sigma)} for a batch x in EDM units. */
    public Tensor denoise(Tensor x, double sigmaEdm, Condition c) {
        double t;
        double alpha;
        if (timeOfSigma == null) {
            NoiseSchedule s = denoiser.schedule();
            t = s.timeFromSigmaEdm(sigmaEdm);
            alpha = s.alpha(t);
        } else {
            t = timeOfSigma.applyAsDouble(sigmaEdm);
            alpha = 1.0 / Math.sqrt(sigmaEdm * sigmaEdm + 1.0);
        }
        return denoiser.x0(x.mul(alpha), PerSample.time(t, x.dim(0), x.dtype()), c);
    }

    /** The ODE's direction {@code (x - D(x; sigma)) / sigma}. */
    public Tensor derivative(Tensor x, double sigmaEdm, Condition c) {
        return x.sub(denoise(x, sigmaEdm, c)).div(sigmaEdm);
    }

    /** {@code D(x; sigma)} with one level per sample: {@code x_hat(alpha(t(sigma_b)) x_b, t(sigma_b))}. */
    public Tensor denoise(Tensor x, double[] sigma, Condition c) {
        NoiseSchedule s = denoiser.schedule();
        if (timeOfSigma == null) {
            double[] t = times(s, sigma);
            return denoiser.x0(toVp(s, x, sigma), Tensor.of(x.dtype(), t, t.length), c);
        }
        double[] t = new double[sigma.length];
        double[] a = new double[sigma.length];
        for (int i = 0; i < sigma.length; i++) {
            t[i] = timeOfSigma.applyAsDouble(sigma[i]);
            a[i] = 1.0 / Math.sqrt(sigma[i] * sigma[i] + 1.0);
        }
        return denoiser.x0(PerSample.scale(x, a), Tensor.of(x.dtype(), t, t.length), c);
    }

    /** One Euler step of the PF-ODE from {@code from} to {@code to} (per sample). */
    public Tensor euler(Tensor x, double[] from, double[] to, Condition c) {
        Tensor slope = slope(x, from, c);
        return x.add(slope.mul(diff(to, from, x)));
    }

    /** One Heun step (EDM Algorithm 1, no churn) from {@code from} to {@code to > 0} (per sample). */
    public Tensor heun(Tensor x, double[] from, double[] to, Condition c) {
        Tensor h = diff(to, from, x);
        Tensor slope = slope(x, from, c);
        Tensor euler = x.add(slope.mul(h));
        Tensor slope2 = slope(euler, to, c);
        return x.add(slope.add(slope2).mul(h).mul(0.5));
    }

    /** The ODE's direction {@code (x - D(x; sigma)) / sigma} per sample. */
    private Tensor slope(Tensor x, double[] sigma, Condition c) {
        return x.sub(denoise(x, sigma, c)).div(PerSample.of(sigma, x));
    }

    private static Tensor diff(double[] to, double[] from, Tensor like) {
        double[] h = new double[to.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = to[i] - from[i];
        }
        return PerSample.of(h, like);
    }

    /** VP times {@code t(sigma_b)} from {@link NoiseSchedule#timeFromSigmaEdm}. */
    public static double[] times(NoiseSchedule s, double[] sigma) {
        double[] t = new double[sigma.length];
        for (int i = 0; i < sigma.length; i++) {
            t[i] = s.timeFromSigmaEdm(sigma[i]);
        }
        return t;
    }

    /** {@code z = alpha(t(sigma)) x}, the VP latent of an EDM state (per sample). */
    public static Tensor toVp(NoiseSchedule s, Tensor x, double[] sigma) {
        double[] a = new double[sigma.length];
        for (int i = 0; i < sigma.length; i++) {
            a[i] = s.alpha(s.timeFromSigmaEdm(sigma[i]));
        }
        return PerSample.scale(x, a);
    }

    /** {@code n} Karras levels (EDM config) followed by 0: the grid of EDM's Heun sampler, n steps. */
    public static double[] karrasWithZero(int n, EdmConfig config) {
        double[] levels = KarrasSigmas.levels(n, config);
        double[] out = java.util.Arrays.copyOf(levels, n + 1);
        out[n] = 0.0;
        return out;
    }
}
