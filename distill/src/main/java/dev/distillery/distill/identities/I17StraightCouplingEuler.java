package dev.distillery.distill.identities;

import dev.distillery.autograd.Tensor;
import dev.distillery.distill.core.RectifiedFlow;

import java.util.SplittableRandom;

/**
 * <b>I17</b> (rectified flow, Liu et al. 2023; MATH.md section 6): on an exactly straight coupling,
 * where the velocity along {@code X_t = t X_1 + (1 - t) X_0} is the constant {@code X_1 - X_0}, one
 * Euler step from any t to any s lands on {@code X_s}.
 *
 * <p><b>Error measure and tolerance.</b> Per element {@code |Z_s - X_s| / M}, {@code M = |X_0| + |X_1|}.
 * With unit roundoff u: {@code X_t = t X_1 + (1 - t) X_0} rounds four times, each error at most
 * {@code u} times a term bounded by M, in total under {@code 3u M} (the product by {@code (1 - t)} carries the
 * rounding of {@code 1 - t}, so the X_0 term gets two); the velocity {@code X_1 - X_0}, the step
 * {@code s - t}, their product and the final sum add at most {@code u M} each ({@code |s - t| <= 1});
 * the reference X_s carries another {@code 3u M}. Total under {@code 10 u M = 5 EPS M}; we allow 8 EPS.
 */
public final class I17StraightCouplingEuler implements DistillIdentity {
    private static final int TRIALS = 16;

    @Override
    public String id() {
        return "I17";
    }

    @Override
    public String name() {
        return "Euler step on a straight coupling";
    }

    @Override
    public String equation() {
        return "X_t + (s - t)(X_1 - X_0) = X_s, X_t = t X_1 + (1 - t) X_0";
    }

    @Override
    public double tolerance() {
        return 8 * Inputs.EPS;
    }

    @Override
    public double worstError(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double worst = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            int[] shape = Inputs.shape(r);
            Tensor x0 = Inputs.randn(r, shape);
            Tensor x1 = Inputs.randn(r, shape);
            double t = trial == 0 ? 1.0 : r.nextDouble();
            double s = trial == 0 ? 0.0 : r.nextDouble();
            Tensor xt = RectifiedFlow.interpolate(x0, x1, t);
            Tensor zs = RectifiedFlow.eulerStep(xt, RectifiedFlow.targetVelocity(x0, x1), t, s);
            double[] got = zs.toDoubleArray();
            double[] want = RectifiedFlow.interpolate(x0, x1, s).toDoubleArray();
            double[] a = x0.toDoubleArray();
            double[] b = x1.toDoubleArray();
            for (int k = 0; k < got.length; k++) {
                double m = Math.abs(a[k]) + Math.abs(b[k]);
                worst = Math.max(worst, I14ProgressiveTargetInversion.relative(Math.abs(got[k] - want[k]), m));
            }
        }
        return worst;
    }
}
