package dev.distillery.nn.optim;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.backend.Storage;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Gradient clipping by global norm, as PyTorch's {@code clip_grad_norm_}. */
public final class GradClip {
    private GradClip() {
    }

    /**
     * Computes {@code N = sqrt(sum_p ||grad_p||^2)} over the parameters that have gradients and,
     * if {@code N > maxNorm}, scales every gradient in place by {@code maxNorm / (N + 1e-6)}.
     * Gradients that share storage (the engine may hand the same tensor to two leaves) are
     * scaled once.
     *
     * @return the norm N before clipping
     */
    public static double clipGradNorm(Collection<Tensor> params, double maxNorm) {
        double sq = 0;
        for (Tensor p : params) {
            if (p.grad() != null) {
                double n = norm(p.grad());
                sq += n * n;
            }
        }
        double total = Math.sqrt(sq);
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1) {
            Set<Storage> done = Collections.newSetFromMap(new IdentityHashMap<>());
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                for (Tensor p : params) {
                    Tensor g = p.grad();
                    if (g != null && done.add(g.storage())) {
                        g.assign(g.mul(coef));
                    }
                }
            }
        }
        return total;
    }

    private static double norm(Tensor g) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            return Math.sqrt(g.to(dev.distillery.autograd.DType.F64).square().sum().item());
        }
    }
}
