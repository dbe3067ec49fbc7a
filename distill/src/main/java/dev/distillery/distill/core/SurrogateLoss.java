package dev.distillery.distill.core;

import dev.distillery.autograd.Tensor;

/**
 * A scalar loss whose gradient with respect to {@code x} is a prescribed tensor {@code g}: the way
 * SDS, DMD and the unbiased-score method feed a gradient that no loss is written for into ordinary
 * backpropagation (Poole et al. 2022, DreamFusion, Appendix; Yin et al. 2024, DMD Algorithm 1,
 * {@code loss = 0.5 * mse(x, sg(x - grad))}; MATH.md section 6, I18):
 * <pre>
 *   L(x) = 1/2 || x - sg(x - g) ||^2,     dL/dx = x - sg(x - g) = g
 * </pre>
 * since the stop-gradient {@code sg} makes {@code x - g} a constant. Then
 * {@code dL/dtheta = (dx/dtheta)^T g} for {@code x = G_theta(z)}. The squared norm sums over all
 * elements (batch included), so the gradient is exactly g; scale the loss (e.g. by 1/B) to average.
 * The value of L is {@code ||g||^2 / 2} and carries no meaning.
 */
public final class SurrogateLoss {
    private SurrogateLoss() {
    }

    /** {@code 1/2 ||x - sg(x - g)||^2} (sum over all elements): its gradient w.r.t. x is g. */
    public static Tensor withGradient(Tensor x, Tensor g) {
        if (!x.shape().equals(g.shape())) {
            throw new IllegalArgumentException("surrogate loss: gradient of shape " + g.shape()
                    + " for x of shape " + x.shape() + "; they must match");
        }
        Tensor anchor = x.detach().sub(g.detach()).detach();
        return x.sub(anchor).square().sum().mul(0.5);
    }
}
