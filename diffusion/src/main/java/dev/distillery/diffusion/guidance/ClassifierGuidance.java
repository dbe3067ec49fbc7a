package dev.distillery.diffusion.guidance;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import java.util.List;
import java.util.Objects;

/**
 * Classifier guidance (Dhariwal &amp; Nichol 2021, Algorithm 2; MATH.md section 4):
 * <pre>
 *   eps_tilde = eps_hat(z, t) - w sigma_t grad_z log p_phi(y | z_t)
 * </pre>
 * so, in score form, {@code score_tilde = score + w grad log p_phi(y|z)}, and
 * {@code x_tilde = (z - sigma eps_tilde)/alpha = x_hat + w (sigma^2/alpha) grad log p_phi}. The
 * gradient is taken with {@link Autograd#grad} on a detached copy of z (so it works inside
 * {@code noGrad} sampling loops); the result is not differentiable with respect to z. Labels y
 * come from the condition, which is also passed to the base denoiser.
 *
 * @param base the (usually unconditional) denoiser
 * @param classifier the noisy classifier phi
 * @param w guidance scale
 */
public record ClassifierGuidance(Denoiser base, NoisyClassifier classifier, double w) implements Denoiser {

    public ClassifierGuidance {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(classifier, "classifier");
    }

    @Override
    public NoiseSchedule schedule() {
        return base.schedule();
    }

    /** {@code grad_z log p_phi(y_b | z_b)} per sample, by reverse-mode autodiff. */
    public Tensor classifierGradient(Tensor z, Tensor t, int[] labels) {
        if (labels == null || labels.length != z.dim(0)) {
            throw new IllegalArgumentException("classifier guidance needs one label per batch element ("
                    + z.dim(0) + "), got " + (labels == null ? "none" : labels.length));
        }
        try (var ignored = Autograd.enableGrad()) {
            Tensor zz = z.detach().requiresGrad(true);
            Tensor logp = classifier.logits(zz, t).logSoftmax(1);
            Tensor picked = logp.mul(Tensor.oneHot(labels, logp.dim(1), logp.dtype())).sum();
            return Autograd.grad(List.of(picked), List.of(zz), null, false).get(0).detach();
        }
    }

    @Override
    public Tensor eps(Tensor z, Tensor t, Condition c) {
        Tensor g = classifierGradient(z, t, Condition.orNone(c).labels());
        return base.eps(z, t, c).sub(g.mul(sigma(t, z)).mul(w));
    }

    @Override
    public Tensor x0(Tensor z, Tensor t, Condition c) {
        Tensor g = classifierGradient(z, t, Condition.orNone(c).labels());
        Tensor s = sigma(t, z);
        return base.x0(z, t, c).add(g.mul(s.mul(s).div(alpha(t, z))).mul(w));
    }

    @Override
    public Tensor score(Tensor z, Tensor t, Condition c) {
        Tensor g = classifierGradient(z, t, Condition.orNone(c).labels());
        return base.score(z, t, c).add(g.mul(w));
    }

    @Override
    public Tensor v(Tensor z, Tensor t, Condition c) {
        return Prediction.vFromEps(z, eps(z, t, c), alpha(t, z), sigma(t, z));
    }
}
