package dev.distillery.autograd.backend;

/**
 * The scalars of one Adam or AdamW step (Kingma and Ba 2015; Loshchilov and Hutter 2019) in
 * PyTorch's single-tensor form, at step {@code t} (1 for the first update) with rate {@code lr}:
 * <pre>
 *   AdamW:  p = p (1 - lr lambda)          Adam with decay:  g = g + lambda p
 *   m = beta1 m + (1 - beta1) g,   v = beta2 v + (1 - beta2) g^2
 *   p = p - (m / (sqrt(v) / sqrt(1 - beta2^t) + eps)) lr / (1 - beta1^t)
 * </pre>
 * With {@code weightDecay = 0} there is no decay term at all (not a zero one), as in PyTorch.
 */
public record AdamPlan(double lr, double beta1, double beta2, double eps, double weightDecay,
                       boolean decoupled, long step) {

    public AdamPlan {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: betas (" + beta1 + ", " + beta2 + ") must lie in [0, 1), e.g. (0.9, 0.999)");
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("Adam: eps = " + eps + "; use a small non-negative eps such as 1e-8");
        }
        if (!Double.isFinite(lr) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("Adam: lr = " + lr + ", weight decay = " + weightDecay + "; both must be finite");
        }
        if (step < 1) {
            throw new IllegalArgumentException("Adam: step " + step + "; steps count from 1 (the first update)");
        }
    }

    /** {@code lr / (1 - beta1^t)}: the rate with the first moment's bias correction. */
    public double stepSize() {
        return lr / (1 - Math.pow(beta1, step));
    }

    /** {@code sqrt(1 - beta2^t)}: the second moment's bias correction, under the root. */
    public double bias2Sqrt() {
        return Math.sqrt(1 - Math.pow(beta2, step));
    }
}
