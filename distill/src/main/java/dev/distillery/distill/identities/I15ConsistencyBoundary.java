package dev.distillery.distill.identities;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.distill.core.ConsistencyParameterization;

import java.util.SplittableRandom;

/**
 * <b>I15</b> (consistency boundary condition, Song et al. 2023; MATH.md section 6): {@code f(x, eps) = x}
 * for any network output F.
 *
 * <p><b>Tolerance 0.</b> At {@code t = eps}: {@code t - eps = 0} exactly, so
 * {@code c_skip = sd^2/(0 + sd^2) = 1} (a float divided by itself) and {@code c_out = sd * 0 / ... = 0};
 * {@code 1 * x = x}, {@code 0 * F = +-0} and {@code x + 0 = x} are exact for finite F. This holds for
 * both the scalar-time and the per-sample-time forms, which are both measured. Error: the largest
 * {@code |f - x|}.
 */
public final class I15ConsistencyBoundary implements DistillIdentity {
    private static final int TRIALS = 8;

    @Override
    public String id() {
        return "I15";
    }

    @Override
    public String name() {
        return "consistency-model boundary condition";
    }

    @Override
    public String equation() {
        return "f(x, eps) = c_skip(eps) x + c_out(eps) F(x, eps) = x";
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
            double sd = Math.pow(10.0, r.nextDouble(-1.5, 0.5));
            double eps = trial == 0 ? 0.002 : Math.pow(10.0, r.nextDouble(-5.0, 0.0));
            ConsistencyParameterization p = trial == 0 ? ConsistencyParameterization.DEFAULTS
                    : new ConsistencyParameterization(sd, eps);
            int[] shape = Inputs.shape(r);
            Tensor x = Inputs.randn(r, shape);
            Tensor f = Inputs.randn(r, shape);
            worst = Math.max(worst, maxAbsDiff(p.apply(x, p.epsilon(), f), x));
            Tensor times = Tensor.full(DType.F64, p.epsilon(), shape[0]);
            worst = Math.max(worst, maxAbsDiff(p.apply(x, times, f), x));
        }
        return worst;
    }

    static double maxAbsDiff(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double worst = 0;
        for (int k = 0; k < x.length; k++) {
            double d = Math.abs(x[k] - y[k]);
            worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
        }
        return worst;
    }
}
