package dev.distillery.distill.trajectory;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.distill.core.PerSample;

/**
 * The EDM view of a VP denoiser with one noise level per sample (MATH.md sections 0 and 4):
 * {@code x = z / alpha(t)}, {@code sigma_edm = sigma/alpha}, {@code D(x; sigma) = x_hat(alpha x, t(sigma))},
 * probability-flow ODE {@code dx/dsigma = (x - D(x; sigma))/sigma}. Consistency models and CTM
 * live in these units. Levels must be positive and finite (the VP time of sigma_edm = infinity
 * is t = 1, where x is undefined).
 */
final class Edm {
    private Edm() {
    }

    /** VP times {@code t(sigma_b)} from {@link NoiseSchedule#timeFromSigmaEdm}. */
    static double[] times(NoiseSchedule s, double[] sigma) {
        double[] t = new double[sigma.length];
        for (int i = 0; i < sigma.length; i++) {
            t[i] = s.timeFromSigmaEdm(sigma[i]);
        }
        return t;
    }

    /** {@code z = alpha(t(sigma)) x}, the VP latent of an EDM state. */
    static Tensor toVp(NoiseSchedule s, Tensor x, double[] sigma) {
        double[] a = new double[sigma.length];
        for (int i = 0; i < sigma.length; i++) {
            a[i] = s.alpha(s.timeFromSigmaEdm(sigma[i]));
        }
        return x.mul(PerSample.broadcast(Grids.perSample(a, x.dtype()), x));
    }

    /** {@code D(x; sigma)} per sample. */
    static Tensor denoise(Denoiser d, Tensor x, double[] sigma, Condition c) {
        NoiseSchedule s = d.schedule();
        return d.x0(toVp(s, x, sigma), Grids.perSample(times(s, sigma), x.dtype()), c);
    }

    /** One Euler step of the PF-ODE from {@code from} to {@code to} (per sample). */
    static Tensor euler(Denoiser d, Tensor x, double[] from, double[] to, Condition c) {
        Tensor slope = slope(d, x, from, c);
        return x.add(slope.mul(diff(to, from, x)));
    }

    /** One Heun step (EDM Algorithm 1, no churn) from {@code from} to {@code to > 0} (per sample). */
    static Tensor heun(Denoiser d, Tensor x, double[] from, double[] to, Condition c) {
        Tensor h = diff(to, from, x);
        Tensor slope = slope(d, x, from, c);
        Tensor euler = x.add(slope.mul(h));
        Tensor slope2 = slope(d, euler, to, c);
        return x.add(slope.add(slope2).mul(h).mul(0.5));
    }

    private static Tensor slope(Denoiser d, Tensor x, double[] sigma, Condition c) {
        return x.sub(denoise(d, x, sigma, c)).div(PerSample.broadcast(Grids.perSample(sigma, x.dtype()), x));
    }

    private static Tensor diff(double[] to, double[] from, Tensor like) {
        double[] h = new double[to.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = to[i] - from[i];
        }
        return PerSample.broadcast(Grids.perSample(h, like.dtype()), like);
    }

    /** {@code c * x} with per-sample c. */
    static Tensor scale(Tensor x, double[] c) {
        return x.mul(PerSample.broadcast(Grids.perSample(c, x.dtype()), x));
    }
}
