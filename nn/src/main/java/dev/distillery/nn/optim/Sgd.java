package dev.distillery.nn.optim;

import dev.distillery.autograd.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent as PyTorch's {@code torch.optim.SGD}:
 * {@code g = grad + lambda p} ({@code g = -grad + lambda p} with {@code maximize}, which ascends
 * the objective); with momentum mu, {@code b_1 = g},
 * {@code b_t = mu b_{t-1} + (1 - dampening) g}, and {@code g = g + mu b_t} (Nesterov) or
 * {@code g = b_t}; then {@code p = p - lr g}.
 */
public final class Sgd extends Optimizer<Sgd.Options> {

    /** One group's hyperparameters, under torch's names ({@code momentum, dampening, nesterov, weight_decay, maximize}). */
    public record Options(double momentum, double dampening, boolean nesterov, double weightDecay, boolean maximize)
            implements Optimizer.Hyperparameters {

        public Options {
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0 and zero dampening");
            }
        }

        /** Descending the objective ({@code maximize=False}, torch's default). */
        public Options(double momentum, double dampening, boolean nesterov, double weightDecay) {
            this(momentum, dampening, nesterov, weightDecay, false);
        }

        public Options withMaximize(boolean on) {
            return new Options(momentum, dampening, nesterov, weightDecay, on);
        }

        /** Torch 1.13's {@code param_groups} entries of SGD. */
        @Override
        public Map<String, Object> torchEntries() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("momentum", momentum);
            m.put("dampening", dampening);
            m.put("weight_decay", weightDecay);
            m.put("nesterov", nesterov);
            m.put("maximize", maximize);
            m.put("foreach", null);
            m.put("differentiable", false);
            return m;
        }
    }

    public Sgd(Map<String, Tensor> params, LearningRate lr, double momentum, double dampening, boolean nesterov,
               double weightDecay) {
        super(single(params, lr, new Options(momentum, dampening, nesterov, weightDecay)));
    }

    /** Several parameter groups, each with its own schedule and hyperparameters. */
    public Sgd(List<ParamGroup<Options>> groups) {
        super(groups);
    }

    /** Plain SGD with momentum {@code momentum} and no decay. */
    public static Sgd of(Map<String, Tensor> params, double lr, double momentum) {
        return new Sgd(params, LearningRate.constant(lr), momentum, 0, false, 0);
    }

    /** Torch's SGD keeps no step count in its state. */
    @Override
    protected boolean stepInState() {
        return false;
    }

    @Override
    protected void update(String name, Tensor p, Tensor g, double lr, long t, Options o) {
        if (o.maximize()) {
            g = g.neg();
        }
        if (o.weightDecay() != 0) {
            g = g.add(p.mul(o.weightDecay()));
        }
        if (o.momentum() != 0) {
            Tensor b = slot(name, "momentum_buffer");
            b = b == null ? g : b.mul(o.momentum()).add(g.mul(1 - o.dampening()));
            setSlot(name, "momentum_buffer", b);
            g = o.nesterov() ? g.add(b.mul(o.momentum())) : b;
        }
        p.assign(p.sub(g.mul(lr)));
    }
}
