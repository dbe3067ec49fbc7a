package dev.distillery.distill.identities;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.distill.core.SurrogateLoss;

import java.util.List;
import java.util.SplittableRandom;

/**
 * <b>I18</b> (the surrogate-loss trick of DMD and SDS; MATH.md section 6): the gradient of
 * {@code L(x) = 1/2 ||x - sg(x - g)||^2} with respect to x is g.
 *
 * <p><b>Error measure and tolerance.</b> Per element {@code |dL/dx - g| / (|x| + |g|)}. Backpropagation
 * returns {@code fl(x - fl(x - g))} exactly (the factors 1/2 and 2 of the square are powers of two), so
 * with unit roundoff u the error is at most {@code u |x - g| + u |g| (1 + u) <= 2u (|x| + |g|) = EPS (|x| + |g|)}
 * up to O(u^2); we allow 2 EPS. Inputs put x and g on independent scales over four decades, so the
 * cancellation in {@code x - (x - g)} is exercised.
 */
public final class I18SurrogateGradient implements DistillIdentity {
    private static final int TRIALS = 16;

    @Override
    public String id() {
        return "I18";
    }

    @Override
    public String name() {
        return "surrogate-loss gradient";
    }

    @Override
    public String equation() {
        return "d/dx [1/2 ||x - sg(x - g)||^2] = g";
    }

    @Override
    public double tolerance() {
        return 2 * Inputs.EPS;
    }

    @Override
    public double worstError(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double worst = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            int[] shape = Inputs.shape(r);
            Tensor x = Inputs.randn(r, shape).requiresGrad(true);
            Tensor g = Inputs.randn(r, shape);
            Tensor grad = Autograd.grad(List.of(SurrogateLoss.withGradient(x, g)), List.of(x), null, false).get(0);
            double[] got = grad.toDoubleArray();
            double[] want = g.toDoubleArray();
            double[] xs = x.toDoubleArray();
            for (int k = 0; k < got.length; k++) {
                double scale = Math.abs(xs[k]) + Math.abs(want[k]);
                worst = Math.max(worst, I14ProgressiveTargetInversion.relative(Math.abs(got[k] - want[k]), scale));
            }
        }
        return worst;
    }
}
