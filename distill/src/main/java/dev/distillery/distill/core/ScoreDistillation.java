package dev.distillery.distill.core;

import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.autograd.Tensor;

/**
 * Score distillation sampling (Poole et al. 2022, DreamFusion, eq. 3;
 * MATH.md section 6.9, I19).
 *
 * <p>Treat {@code p_fake} as a delta at the generator output {@code x = G_theta(z)}; then
 * {@code q(x_t | x) = N(alpha_t x, sigma_t^2 I)} and, for {@code x_t = alpha_t x + sigma_t eps},
 * <pre>
 *   s_fake(x_t) = grad_{x_t} log N(x_t; alpha_t x, sigma_t^2 I) = -(x_t - alpha_t x)/sigma_t^2 = -eps/sigma_t.
 * </pre>
 * With the teacher's score {@code s_real = -eps_hat/sigma_t}, the DMD direction
 * {@code w_t alpha_t (s_fake - s_real)} becomes {@code (w_t alpha_t / sigma_t)(eps_hat - eps)}: the SDS
 * gradient
 * <pre>
 *   grad_theta L_SDS = E[ w(t) (eps_hat(x_t, t) - eps) dx/dtheta ]
 * </pre>
 * with the U-Net Jacobian omitted, implemented as {@link SurrogateLoss#withGradient} of
 * {@code w(t)(eps_hat - eps)}.
 */
public final class ScoreDistillation {
    private ScoreDistillation() {
    }

    /** The delta-distribution score {@code s_fake = -(x_t - alpha_t x)/sigma_t^2} (equals {@code -eps/sigma_t}). */
    public static Tensor deltaFakeScore(Tensor xt, Tensor x, double alphaT, double sigmaT) {
        DdimStep.requirePositive("sigmaT", sigmaT);
        return xt.sub(x.mul(alphaT)).div(-sigmaT * sigmaT);
    }

    /** As {@link #deltaFakeScore(Tensor, Tensor, double, double)} with per-sample coefficients {@code [B]}. */
    public static Tensor deltaFakeScore(Tensor xt, Tensor x, Tensor alphaT, Tensor sigmaT) {
        Tensor a = PerSample.broadcast(alphaT, xt);
        Tensor s2 = PerSample.broadcast(sigmaT.square(), xt);
        return xt.sub(x.mul(a)).div(s2).neg();
    }

    /** The SDS gradient with respect to x: {@code w(t) (eps_hat - eps)}, detached. */
    public static Tensor gradient(Tensor epsHat, Tensor eps, double weight) {
        return epsHat.detach().sub(eps.detach()).mul(weight);
    }

    /** As {@link #gradient(Tensor, Tensor, double)} with per-sample weights {@code [B]}. */
    public static Tensor gradient(Tensor epsHat, Tensor eps, Tensor weight) {
        return epsHat.detach().sub(eps.detach()).mul(PerSample.broadcast(weight.detach(), epsHat));
    }

    /** The SDS surrogate loss {@code 1/2 ||x - sg(x - w (eps_hat - eps))||^2}: its x-gradient is the SDS gradient. */
    public static Tensor loss(Tensor x, Tensor epsHat, Tensor eps, double weight) {
        return SurrogateLoss.withGradient(x, gradient(epsHat, eps, weight));
    }
}
