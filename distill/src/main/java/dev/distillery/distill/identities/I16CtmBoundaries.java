package dev.distillery.distill.identities;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.distill.core.CtmParameterization;

import java.util.SplittableRandom;

/**
 * <b>I16</b> (CTM boundaries, Kim et al. 2024; MATH.md section 6): {@code G(x, t, t) = x} and
 * {@code G(x, t, 0) = g(x, t, 0)}.
 *
 * <p><b>Tolerance 0.</b> With {@code G = (s/t) x + (1 - s/t) g}: at s = t, {@code s/t = 1},
 * {@code 1 - 1 = 0}, {@code 1 x + 0 g = x}; at s = 0, {@code 0/t = 0}, {@code 1 - 0 = 1},
 * {@code 0 x + 1 g = g}: every operation is exact for finite x, g and t &gt; 0 (scalar and per-sample
 * forms). Error: the largest absolute difference.
 */
public final class I16CtmBoundaries implements DistillIdentity {
    private static final int TRIALS = 8;

    @Override
    public String id() {
        return "I16";
    }

    @Override
    public String name() {
        return "consistency-trajectory-model boundaries";
    }

    @Override
    public String equation() {
        return "G(x, t, t) = x and G(x, t, 0) = g(x, t, 0), G(x, t, s) = (s/t) x + (1 - s/t) g(x, t, s)";
    }

    @Override
    public double tolerance() {
        return 0.0;
    }

    @Override
    public double worstError(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double worst = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            double t = Math.pow(10.0, r.nextDouble(-3.0, 2.0));
            int[] shape = Inputs.shape(r);
            Tensor x = Inputs.randn(r, shape);
            Tensor g = Inputs.randn(r, shape);
            worst = Math.max(worst, I15ConsistencyBoundary.maxAbsDiff(CtmParameterization.apply(x, t, t, g), x));
            worst = Math.max(worst, I15ConsistencyBoundary.maxAbsDiff(CtmParameterization.apply(x, t, 0.0, g), g));
            Tensor tt = Tensor.full(DType.F64, t, shape[0]);
            Tensor zero = Tensor.zeros(DType.F64, shape[0]);
            worst = Math.max(worst, I15ConsistencyBoundary.maxAbsDiff(CtmParameterization.apply(x, tt, tt, g), x));
            worst = Math.max(worst, I15ConsistencyBoundary.maxAbsDiff(CtmParameterization.apply(x, tt, zero, g), g));
        }
        return worst;
    }
}
