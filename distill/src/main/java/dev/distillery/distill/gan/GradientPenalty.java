package dev.distillery.distill.gan;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Gradient penalties on a discriminator, differentiable w.r.t. its parameters (the gradient is
 * taken with {@code createGraph = true}, so backpropagating the penalty is a double backward).
 *
 * <p>Per-sample input gradients come from one backward pass of {@code sum_b D(x_b)}: since D treats
 * samples independently, {@code d(sum_b D(x_b))/dx_b = grad D(x_b)}.
 */
public final class GradientPenalty {
    /** Added under the square root of the WGAN-GP norm so that its derivative stays finite at a zero gradient. */
    public static final double NORM_FLOOR = 1e-12;

    private GradientPenalty() {
    }

    /**
     * The R1 penalty (Mescheder et al. 2018, eq. 9) {@code gamma/2 E_b ||grad_x D(x_b)||^2} at
     * {@code input}, which may be pixels or any intermediate features (ADD takes it on the inputs
     * of the discriminator heads, Sauer et al. 2023, eq. 3). The input is detached and made a leaf, so the
     * penalty depends on the discriminator's parameters only.
     *
     * @param input a batch {@code [B, ...]} (real data in R1)
     * @param logits the discriminator from that input to logits {@code [B]} or {@code [B, 1]}
     */
    public static Tensor r1(Tensor input, Function<Tensor, Tensor> logits, double gamma) {
        Tensor grad = inputGradient(input, logits);
        return grad.square().reshape(grad.dim(0), -1).sum(1, false).mean().mul(0.5 * gamma);
    }

    /**
     * The WGAN-GP penalty (Gulrajani et al. 2017, eq. 3) {@code lambda E_b (||grad_x D(x_hat_b)||_2 - 1)^2}
     * on interpolates {@code x_hat = u x_real + (1 - u) x_fake}, with one {@code u_b} in [0, 1] per
     * sample ({@code u} of shape {@code [B]}). The norm is {@code sqrt(||g||^2 + NORM_FLOOR)}, which
     * changes the value by at most 5e-13 and keeps the derivative finite at g = 0.
     */
    public static Tensor wganGp(Tensor real, Tensor fake, Tensor u, Function<Tensor, Tensor> critic, double lambda) {
        if (!real.shape().equals(fake.shape())) {
            throw new IllegalArgumentException("WGAN-GP: real " + real.shape() + " and fake " + fake.shape()
                    + " batches must have the same shape");
        }
        int[] dims = new int[real.rank()];
        Arrays.fill(dims, 1);
        dims[0] = real.dim(0);
        Tensor ub = u.detach().reshape(dims);
        Tensor interp = real.detach().mul(ub).add(fake.detach().mul(ub.rsub(1.0)));
        Tensor grad = inputGradient(interp, critic);
        Tensor norm = grad.square().reshape(grad.dim(0), -1).sum(1, false).add(NORM_FLOOR).sqrt();
        return norm.sub(1.0).square().mean().mul(lambda);
    }

    /** As {@link #wganGp(Tensor, Tensor, Tensor, Function, double)} with {@code u ~ U(0, 1)} drawn from {@code rng}. */
    public static Tensor wganGp(Tensor real, Tensor fake, Rng rng, Function<Tensor, Tensor> critic, double lambda) {
        return wganGp(real, fake, Tensor.rand(real.dtype(), rng, real.dim(0)), critic, lambda);
    }

    /** {@code grad_x sum_b D(x_b)} at a detached copy of {@code input}, with the graph kept for a second backward. */
    static Tensor inputGradient(Tensor input, Function<Tensor, Tensor> logits) {
        try (var on = Autograd.enableGrad()) {
            Tensor x = input.detach().requiresGrad(true);
            Tensor out = logits.apply(x);
            if (out.numel() != x.dim(0)) {
                throw new IllegalArgumentException("discriminator returned " + out.shape() + " for a batch of "
                        + x.dim(0) + "; it must return one logit per sample");
            }
            return Autograd.grad(List.of(out.sum()), List.of(x), null, true).get(0);
        }
    }
}
