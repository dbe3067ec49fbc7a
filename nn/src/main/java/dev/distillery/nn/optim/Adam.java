package dev.distillery.nn.optim;

import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.backend.AdamPlan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) and AdamW (Loshchilov and Hutter 2019) exactly as PyTorch's
 * single-tensor implementations ({@code torch.optim.Adam}/{@code AdamW}), at each parameter's own
 * step t:
 * <pre>
 *   maximize: g = -grad
 *   AdamW:  p = p (1 - lr lambda)                 Adam: g = g + lambda p
 *   m = beta1 m + (1 - beta1) g,   v = beta2 v + (1 - beta2) g^2
 *   amsgrad (Reddi et al. 2018, Algorithm 2): v_max = max(v_max, v), used below in place of v
 *   p = p - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * Without amsgrad a step is one backend kernel per parameter, {@code Backend.adamStep}, updating
 * the parameter and its moments in place (one fused pass on the SIMD backend); amsgrad composes
 * tensor ops.
 */
public final class Adam extends Optimizer<Adam.Options> {

    /**
     * One group's hyperparameters, torch's names in brackets.
     *
     * @param beta1       first-moment decay ({@code betas[0]})
     * @param beta2       second-moment decay ({@code betas[1]})
     * @param eps         added to the denominator ({@code eps})
     * @param weightDecay L2 penalty (Adam) or decoupled decay (AdamW) ({@code weight_decay})
     * @param decoupled   AdamW's decoupled decay rather than Adam's L2 term
     * @param amsgrad     keep the running maximum of v ({@code amsgrad})
     * @param maximize    ascend the objective ({@code maximize})
     */
    public record Options(double beta1, double beta2, double eps, double weightDecay, boolean decoupled,
                          boolean amsgrad, boolean maximize) implements Optimizer.Hyperparameters {

        public Options {
            new AdamPlan(0, beta1, beta2, eps, weightDecay, decoupled, 1);   // rejects bad hyperparameters now
        }

        /** {@code torch.optim.Adam}'s defaults: betas (0.9, 0.999), eps 1e-8, no decay. */
        public static Options adam() {
            return new Options(0.9, 0.999, 1e-8, 0, false, false, false);
        }

        /** {@code torch.optim.AdamW}'s defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
        public static Options adamW() {
            return new Options(0.9, 0.999, 1e-8, 0.01, true, false, false);
        }

        public Options withBetas(double b1, double b2) {
            return new Options(b1, b2, eps, weightDecay, decoupled, amsgrad, maximize);
        }

        public Options withWeightDecay(double lambda) {
            return new Options(beta1, beta2, eps, lambda, decoupled, amsgrad, maximize);
        }

        public Options withAmsgrad(boolean on) {
            return new Options(beta1, beta2, eps, weightDecay, decoupled, on, maximize);
        }

        public Options withMaximize(boolean on) {
            return new Options(beta1, beta2, eps, weightDecay, decoupled, amsgrad, on);
        }

        /** Torch 1.13's {@code param_groups} entries, in its order: Adam's, or AdamW's (no differentiable/fused). */
        @Override
        public Map<String, Object> torchEntries() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("betas", List.of(beta1, beta2));
            m.put("eps", eps);
            m.put("weight_decay", weightDecay);
            m.put("amsgrad", amsgrad);
            if (decoupled) {
                m.put("foreach", null);
                m.put("maximize", maximize);
                m.put("capturable", false);
            } else {
                m.put("maximize", maximize);
                m.put("foreach", null);
                m.put("capturable", false);
                m.put("differentiable", false);
                m.put("fused", false);
            }
            return m;
        }
    }

    public Adam(Map<String, Tensor> params, LearningRate lr, double beta1, double beta2, double eps,
                double weightDecay, boolean decoupledWeightDecay) {
        this(params, lr, new Options(beta1, beta2, eps, weightDecay, decoupledWeightDecay, false, false));
    }

    /** One group with hyperparameters {@code options}. */
    public Adam(Map<String, Tensor> params, LearningRate lr, Options options) {
        super(single(params, lr, options));
    }

    /** Several parameter groups, each with its own schedule and hyperparameters. */
    public Adam(List<ParamGroup<Options>> groups) {
        super(groups);
    }

    /** Adam with PyTorch's defaults (betas 0.9, 0.999, eps 1e-8, no decay): W2/W3's optimizer. */
    public static Adam adam(Map<String, Tensor> params, double lr) {
        return new Adam(params, LearningRate.constant(lr), Options.adam());
    }

    /** AdamW with PyTorch's defaults (betas 0.9, 0.999, eps 1e-8, weight decay 0.01). */
    public static Adam adamW(Map<String, Tensor> params, double lr) {
        return new Adam(params, LearningRate.constant(lr), Options.adamW());
    }

    @Override
    protected void update(String name, Tensor p, Tensor g, double lr, long t, Options o) {
        if (g.backend() != p.backend()) {
            throw new IllegalArgumentException("Adam: the gradient of '" + name + "' is on backend " + g.backend().name()
                    + ", the parameter on " + p.backend().name() + "; keep a model and its gradients on one backend");
        }
        Tensor grad = o.maximize() ? g.neg() : g;
        Tensor m = zeroInitialisedSlot(name, "exp_avg", p);
        Tensor v = zeroInitialisedSlot(name, "exp_avg_sq", p);
        AdamPlan plan = new AdamPlan(lr, o.beta1(), o.beta2(), o.eps(), o.weightDecay(), o.decoupled(), t);
        if (o.amsgrad()) {
            amsgradStep(p, grad, m, v, zeroInitialisedSlot(name, "max_exp_avg_sq", p), plan);
        } else {
            p.backend().adamStep(p.storage(), grad.storage(), m.storage(), v.storage(), plan);
        }
    }

    /** The AMSGrad step in torch 1.13's order of operations, on the live state tensors. */
    private static void amsgradStep(Tensor p, Tensor g, Tensor m, Tensor v, Tensor vMax, AdamPlan plan) {
        if (plan.weightDecay() != 0 && plan.decoupled()) {
            p.assign(p.mul(1 - plan.lr() * plan.weightDecay()));
        } else if (plan.weightDecay() != 0) {
            g = g.add(p.mul(plan.weightDecay()));
        }
        m.assign(m.mul(plan.beta1()).add(g.mul(1 - plan.beta1())));
        v.assign(v.mul(plan.beta2()).add(g.mul(g).mul(1 - plan.beta2())));
        vMax.assign(vMax.maximum(v));
        Tensor denom = vMax.sqrt().div(plan.bias2Sqrt()).add(plan.eps());
        p.assign(p.sub(m.div(denom).mul(plan.stepSize())));
    }
}
