package dev.distillery.distill.core;

import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.schedule.NoiseSchedule;

/**
 * One DDIM step from time t to an earlier time s &lt; t given an x-prediction {@code x_hat}
 * (Song et al. 2021, "Denoising diffusion implicit models", eq. 12; MATH.md section 4):
 * <pre>
 *   eps_hat = (z_t - alpha_t x_hat) / sigma_t
 *   z_s     = alpha_s x_hat + sqrt(sigma_s^2 - c^2) eps_hat + c xi,        xi ~ N(0, I)
 *   c^2     = eta^2 sigma_{t|s}^2 sigma_s^2 / sigma_t^2,   sigma_{t|s}^2 = sigma_t^2 - (alpha_t/alpha_s)^2 sigma_s^2
 * </pre>
 * With eta = 0 (deterministic, the teacher step of progressive distillation, Salimans &amp; Ho 2022, Algorithm 2):
 * <pre>
 *   z_s = alpha_s x_hat + (sigma_s / sigma_t) (z_t - alpha_t x_hat)
 * </pre>
 * which is exactly the form written here (one ratio, no eps_hat), so that the inversion of
 * {@link ProgressiveTarget} is its exact algebraic inverse (identity I14). eta = 1 with s = t - 1
 * is the DDPM posterior (I9).
 *
 * <p>Coefficients come as doubles or as per-sample tensors {@code [B]} (broadcast over the data
 * dimensions by {@link PerSample#broadcast}); everything is differentiable in {@code z_t} and
 * {@code x_hat}.
 */
public final class DdimStep {
    private DdimStep() {
    }

    /** Deterministic step with the schedule's coefficients at times t and s (s &lt; t). */
    public static Tensor deterministic(NoiseSchedule schedule, Tensor zt, Tensor xHat, double t, double s) {
        return deterministic(zt, xHat, schedule.alpha(t), schedule.sigma(t), schedule.alpha(s), schedule.sigma(s));
    }

    /**
     * Deterministic (eta = 0) step {@code z_s = alpha_s x_hat + (sigma_s/sigma_t)(z_t - alpha_t x_hat)}.
     *
     * @throws IllegalArgumentException if sigma_t is not positive (the step divides by it)
     */
    public static Tensor deterministic(Tensor zt, Tensor xHat, double alphaT, double sigmaT, double alphaS,
                                       double sigmaS) {
        requirePositive("sigmaT", sigmaT);
        double ratio = sigmaS / sigmaT;
        return xHat.mul(alphaS).add(zt.sub(xHat.mul(alphaT)).mul(ratio));
    }

    /** As {@link #deterministic(Tensor, Tensor, double, double, double, double)} with per-sample coefficients {@code [B]} or rank 0. */
    public static Tensor deterministic(Tensor zt, Tensor xHat, Tensor alphaT, Tensor sigmaT, Tensor alphaS,
                                       Tensor sigmaS) {
        Tensor ratio = PerSample.broadcast(sigmaS.div(sigmaT), zt);
        Tensor aT = PerSample.broadcast(alphaT, zt);
        Tensor aS = PerSample.broadcast(alphaS, zt);
        return xHat.mul(aS).add(zt.sub(xHat.mul(aT)).mul(ratio));
    }

    /**
     * The noise scale {@code c} of a stochastic step: {@code c^2 = eta^2 sigma_{t|s}^2 sigma_s^2 / sigma_t^2}
     * with {@code sigma_{t|s}^2 = sigma_t^2 - (alpha_t/alpha_s)^2 sigma_s^2} (MATH.md sections 1, 4).
     * For a VP schedule this is {@code eta^2 (sigma_s^2/sigma_t^2)(1 - alpha_t^2/alpha_s^2)}.
     *
     * @throws IllegalArgumentException if {@code c > sigma_s} (eta too large for this pair of times)
     */
    public static double noiseScale(double alphaT, double sigmaT, double alphaS, double sigmaS, double eta) {
        requirePositive("sigmaT", sigmaT);
        if (!(eta >= 0) || !Double.isFinite(eta)) {
            throw new IllegalArgumentException("eta = " + eta + " must be finite and >= 0");
        }
        if (eta == 0) {
            return 0.0;
        }
        requirePositive("alphaS", alphaS);
        double ratio = alphaT / alphaS;
        double transition = Math.max(0.0, sigmaT * sigmaT - ratio * ratio * sigmaS * sigmaS);
        double c = eta * Math.sqrt(transition) * sigmaS / sigmaT;
        if (c > sigmaS * (1 + 1e-12)) {
            throw new IllegalArgumentException("eta = " + eta + " gives noise " + c + " above sigma_s = " + sigmaS
                    + "; use eta <= 1");
        }
        return Math.min(c, sigmaS);
    }

    /**
     * Stochastic step {@code z_s = alpha_s x_hat + sqrt(sigma_s^2 - c^2) eps_hat + c xi} with the given
     * standard-normal {@code xi} (same shape as z_t); eta = 0 reduces to {@link #deterministic}
     * up to rounding.
     */
    public static Tensor stochastic(Tensor zt, Tensor xHat, double alphaT, double sigmaT, double alphaS,
                                    double sigmaS, double eta, Tensor xi) {
        double c = noiseScale(alphaT, sigmaT, alphaS, sigmaS, eta);
        if (c == 0.0) {
            return deterministic(zt, xHat, alphaT, sigmaT, alphaS, sigmaS);
        }
        // sigma_s^2 - c^2 written as a product: no cancellation when c is close to sigma_s
        double direction = Math.sqrt(Math.max(0.0, (sigmaS - c) * (sigmaS + c)));
        Tensor epsHat = zt.sub(xHat.mul(alphaT)).div(sigmaT);
        return xHat.mul(alphaS).add(epsHat.mul(direction)).add(xi.mul(c));
    }

    /** As {@link #stochastic(Tensor, Tensor, double, double, double, double, double, Tensor)}, drawing xi from {@code rng}. */
    public static Tensor stochastic(Tensor zt, Tensor xHat, double alphaT, double sigmaT, double alphaS,
                                    double sigmaS, double eta, Rng rng) {
        Tensor xi = Tensor.randn(zt.dtype(), rng, zt.shape().dims());
        return stochastic(zt, xHat, alphaT, sigmaT, alphaS, sigmaS, eta, xi);
    }

    static void requirePositive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " = " + v + " must be finite and > 0");
        }
    }
}
