package dev.distillery.nn.optim;

import dev.distillery.autograd.Tensor;

import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) and AdamW (Loshchilov and Hutter 2019) exactly as PyTorch's
 * single-tensor implementations:
 * <pre>
 *   AdamW:  p = p (1 - lr lambda)                 Adam: g = grad + lambda p
 *   m = beta1 m + (1 - beta1) g,   v = beta2 v + (1 - beta2) g^2
 *   p = p - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
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
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && eps >= 0)) {
            throw new IllegalArgumentException("Adam: need 0 <= beta1, beta2 < 1 and eps >= 0");
        }
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

    @Override
    protected Tensor update(String name, Tensor p, Tensor g, double lr, long t) {
        if (weightDecay != 0) {
            if (decoupled) {
                p = p.mul(1 - lr * weightDecay);
            } else {
                g = g.add(p.mul(weightDecay));
            }
        }
        Tensor m = slot(name, "exp_avg");
        Tensor v = slot(name, "exp_avg_sq");
        m = (m == null ? g.zerosLike() : m).mul(beta1).add(g.mul(1 - beta1));
        v = (v == null ? g.zerosLike() : v).mul(beta2).add(g.mul(g).mul(1 - beta2));
        setSlot(name, "exp_avg", m);
        setSlot(name, "exp_avg_sq", v);
        double stepSize = lr / (1 - Math.pow(beta1, t));
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        Tensor denom = v.sqrt().div(bc2Sqrt).add(eps);
        return p.sub(m.div(denom).mul(stepSize));
    }
}
