package dev.distillery.nn.optim;

import dev.distillery.autograd.Tensor;

import java.util.Map;

/**
 * Stochastic gradient descent as PyTorch's {@code torch.optim.SGD}:
 * {@code g = grad + lambda p}; with momentum mu, {@code b_1 = g},
 * {@code b_t = mu b_{t-1} + (1 - dampening) g}, and {@code g = g + mu b_t} (Nesterov) or
 * {@code g = b_t}; then {@code p = p - lr g}.
 */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final double weightDecay;

    public Sgd(Map<String, Tensor> params, LearningRate lr, double momentum, double dampening, boolean nesterov,
               double weightDecay) {
        super(params, lr);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0 and zero dampening");
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    /** Plain SGD with momentum {@code momentum} and no decay. */
    public static Sgd of(Map<String, Tensor> params, double lr, double momentum) {
        return new Sgd(params, LearningRate.constant(lr), momentum, 0, false, 0);
    }

    @Override
    protected void update(String name, Tensor p, Tensor g, double lr, long t) {
        if (weightDecay != 0) {
            g = g.add(p.mul(weightDecay));
        }
        if (momentum != 0) {
            Tensor b = slot(name, "momentum_buffer");
            b = b == null ? g : b.mul(momentum).add(g.mul(1 - dampening));
            setSlot(name, "momentum_buffer", b);
            g = nesterov ? g.add(b.mul(momentum)) : b;
        }
        p.assign(p.sub(g.mul(lr)));
    }
}
