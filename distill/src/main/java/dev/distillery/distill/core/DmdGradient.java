package dev.distillery.distill.core;

import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.autograd.Tensor;

/**
 * The distribution-matching gradient of DMD (Yin et al. 2024, "One-step diffusion with
 * distribution matching distillation", eqs. 7-8;
 * MATH.md section 6.8):
 * <pre>
 *   grad_theta KL ~ E[ w_t alpha_t (s_fake(x_t, t) - s_real(x_t, t)) dG/dtheta ],   x_t = alpha_t x + sigma_t eps
 * </pre>
 * With x-predictions {@code x_hat}, each score is {@code s = -(x_t - alpha_t x_hat)/sigma_t^2}, so
 * {@code s_fake - s_real = alpha_t (x_hat_fake - x_hat_real)/sigma_t^2}.
 *
 * <p><b>Weighting, exactly as implemented.</b> Eq. 8 sets
 * {@code w_t = (sigma_t^2 / alpha_t) * CS / ||x_hat_real - x||_1} with CS the number of elements of
 * one sample, i.e. {@code w_t = sigma_t^2 / alpha_t / mean_j |x_j - x_hat_real,j|}, per sample.
 * Substituting, the gradient w.r.t. x is
 * <pre>
 *   grad_x = alpha_t (x_hat_fake - x_hat_real) / mean_j |x - x_hat_real|_j
 * </pre>
 * ({@link #fromX0}). The DMD/DMD2 reference code computes
 * {@code (p_real - p_fake) / mean|p_real|} with {@code p = x - x_hat}, which is the same without the
 * factor alpha_t (their EDM-style parameterization has alpha = 1); pass {@code alphaT = 1} for it.
 * Feed the result to {@link SurrogateLoss#withGradient}.
 */
public final class DmdGradient {
    private DmdGradient() {
    }

    /** {@code w alpha_t (s_fake - s_real)} for a scalar weight w. Detached. */
    public static Tensor fromScores(Tensor sFake, Tensor sReal, double alphaT, double weight) {
        return sFake.detach().sub(sReal.detach()).mul(weight * alphaT);
    }

    /** {@code w_b alpha_t (s_fake - s_real)} with per-sample weights {@code [B]}. Detached. */
    public static Tensor fromScores(Tensor sFake, Tensor sReal, double alphaT, Tensor weight) {
        return sFake.detach().sub(sReal.detach()).mul(PerSample.broadcast(weight.detach(), sFake)).mul(alphaT);
    }

    /**
     * DMD's per-sample weight {@code w_t = sigma_t^2 / alpha_t / mean_j |x - x_hat_real|_j}: shape {@code [B]}.
     * A tiny 1e-12 floor on the mean keeps it finite when the teacher reproduces x exactly.
     */
    public static Tensor weight(Tensor x, Tensor x0Real, double alphaT, double sigmaT) {
        DdimStep.requirePositive("alphaT", alphaT);
        Tensor meanAbs = PerSample.mean(x.detach().sub(x0Real.detach()).abs()).maximum(1e-12);
        return meanAbs.rdiv(sigmaT * sigmaT / alphaT);
    }

    /**
     * The DMD gradient w.r.t. the generator output x from the two x-predictions at {@code x_t}:
     * {@code alpha_t (x_hat_fake - x_hat_real) / mean_j |x - x_hat_real|_j} (see the class comment). Detached.
     */
    public static Tensor fromX0(Tensor x, Tensor x0Fake, Tensor x0Real, double alphaT) {
        DdimStep.requirePositive("alphaT", alphaT);
        Tensor meanAbs = PerSample.mean(x.detach().sub(x0Real.detach()).abs()).maximum(1e-12);
        return x0Fake.detach().sub(x0Real.detach()).div(PerSample.broadcast(meanAbs, x)).mul(alphaT);
    }

    /** The DMD surrogate loss: gradient w.r.t. x equal to {@link #fromX0}. */
    public static Tensor loss(Tensor x, Tensor x0Fake, Tensor x0Real, double alphaT) {
        return SurrogateLoss.withGradient(x, fromX0(x, x0Fake, x0Real, alphaT));
    }
}
