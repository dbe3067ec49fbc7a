package dev.distillery.nn.optim;

import dev.distillery.autograd.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rectified Adam (Liu et al. 2020) as PyTorch's {@code torch.optim.RAdam}: with
 * {@code g = grad + lambda p}, Adam's moments m, v, {@code m_hat = m / (1 - beta1^t)},
 * {@code rho_inf = 2 / (1 - beta2) - 1}, {@code rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)}:
 * if {@code rho_t > 5},
 * {@code r = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))} and
 * {@code p = p - lr m_hat r sqrt(1 - beta2^t) / (sqrt(v) + eps)}; otherwise (variance not yet
 * tractable) {@code p = p - lr m_hat}. With {@code maximize} the gradient is negated first,
 * {@code g = -grad + lambda p}, as {@code torch.optim.RAdam(maximize=True)} of torch 2.x does (torch
 * 1.13's RAdam has no {@code maximize}; the step equals its RAdam on the negated objective).
 */
public final class RAdam extends Optimizer<RAdam.Options> {

    /** One group's hyperparameters, under torch's names ({@code betas, eps, weight_decay, maximize}). */
    public record Options(double beta1, double beta2, double eps, double weightDecay, boolean maximize)
            implements Optimizer.Hyperparameters {

        /** Descending the objective (torch's default). */
        public Options(double beta1, double beta2, double eps, double weightDecay) {
            this(beta1, beta2, eps, weightDecay, false);
        }

        public Options withMaximize(boolean on) {
            return new Options(beta1, beta2, eps, weightDecay, on);
        }

        /**
         * Torch 1.13's {@code param_groups} entries of RAdam, and {@code maximize} (torch 2.x's key)
         * when it is set: torch 1.13 keeps an unknown key it loads, and ignores it.
         */
        @Override
        public Map<String, Object> torchEntries() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("betas", List.of(beta1, beta2));
            m.put("eps", eps);
            m.put("weight_decay", weightDecay);
            m.put("foreach", null);
            if (maximize) {
                m.put("maximize", true);
            }
            return m;
        }
    }

    public RAdam(Map<String, Tensor> params, LearningRate lr, double beta1, double beta2, double eps,
                 double weightDecay) {
        super(single(params, lr, new Options(beta1, beta2, eps, weightDecay)));
    }

    /** Several parameter groups, each with its own schedule and hyperparameters. */
    public RAdam(List<ParamGroup<Options>> groups) {
        super(groups);
    }

    /** PyTorch's defaults: betas 0.9, 0.999, eps 1e-8, no decay. */
    public static RAdam of(Map<String, Tensor> params, double lr) {
        return new RAdam(params, LearningRate.constant(lr), 0.9, 0.999, 1e-8, 0);
    }

    @Override
    protected void update(String name, Tensor p, Tensor g, double lr, long t, Options o) {
        double beta1 = o.beta1();
        double beta2 = o.beta2();
        double eps = o.eps();
        if (o.maximize()) {
            g = g.neg();
        }
        if (o.weightDecay() != 0) {
            g = g.add(p.mul(o.weightDecay()));
        }
        Tensor m = slot(name, "exp_avg");
        Tensor v = slot(name, "exp_avg_sq");
        m = (m == null ? g.zerosLike() : m).mul(beta1).add(g.mul(1 - beta1));
        v = (v == null ? g.zerosLike() : v).mul(beta2).add(g.mul(g).mul(1 - beta2));
        setSlot(name, "exp_avg", m);
        setSlot(name, "exp_avg_sq", v);
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        Tensor mHat = m.div(bc1);
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * t * Math.pow(beta2, t) / bc2;
        if (rhoT > 5) {
            double rect = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            Tensor adaptive = v.sqrt().add(eps).rdiv(Math.sqrt(bc2));
            p.assign(p.sub(mHat.mul(lr).mul(adaptive).mul(rect)));
        } else {
            p.assign(p.sub(mHat.mul(lr)));
        }
    }
}
