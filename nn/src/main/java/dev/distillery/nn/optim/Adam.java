package dev.distillery.nn.optim;

import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.backend.AdamPlan;

import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) and AdamW (Loshchilov and Hutter 2019) exactly as PyTorch's
 * single-tensor implementations:
 * <pre>
 *   AdamW:  p = p (1 - lr lambda)                 Adam: g = grad + lambda p
 *   m = beta1 m + (1 - beta1) g,   v = beta2 v + (1 - beta2) g^2
 *   p = p - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * A step is one backend kernel per parameter, {@code Backend.adamStep}, updating the parameter and
 * its moments in place (one fused pass on the SIMD backend).
 */
public final class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;

    public Adam(Map<String, Tensor> params, LearningRate lr, double beta1, double beta2, double eps,
                double weightDecay, boolean decoupledWeightDecay) {
        super(params, lr);
        new AdamPlan(0, beta1, beta2, eps, weightDecay, decoupledWeightDecay, 1);   // rejects bad hyperparameters now
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupledWeightDecay;
    }

    /** Adam with PyTorch's defaults (betas 0.9, 0.999, eps 1e-8, no decay): W2/W3's optimizer. */
    public static Adam adam(Map<String, Tensor> params, double lr) {
        return new Adam(params, LearningRate.constant(lr), 0.9, 0.999, 1e-8, 0, false);
    }

    /** AdamW with PyTorch's defaults (betas 0.9, 0.999, eps 1e-8, weight decay 0.01). */
    public static Adam adamW(Map<String, Tensor> params, double lr) {
        return new Adam(params, LearningRate.constant(lr), 0.9, 0.999, 1e-8, 0.01, true);
    }

    /** The backend's {@code adamStep} on the parameter and its two moments, in place. */
    @Override
    protected void update(String name, Tensor p, Tensor g, double lr, long t) {
        if (g.backend() != p.backend()) {
            throw new IllegalArgumentException("Adam: the gradient of '" + name + "' is on backend " + g.backend().name()
                    + ", the parameter on " + p.backend().name() + "; keep a model and its gradients on one backend");
        }
        Tensor m = zeroInitialisedSlot(name, "exp_avg", p);
        Tensor v = zeroInitialisedSlot(name, "exp_avg_sq", p);
        p.backend().adamStep(p.storage(), g.storage(), m.storage(), v.storage(),
                new AdamPlan(lr, beta1, beta2, eps, weightDecay, decoupled, t));
    }
}
