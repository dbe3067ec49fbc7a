package dev.distillery.distill.identities;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.identities.Choices;
import dev.distillery.diffusion.identities.Identity;
import dev.distillery.distill.core.SurrogateLoss;

import java.util.Arrays;
import java.util.List;

/**
 * <b>I18</b> (the surrogate-loss trick of DMD and SDS; MATH.md section 6): the gradient of
 * {@code L(x) = 1/2 ||x - sg(x - g)||^2} with respect to x is g.
 *
 * <p><b>Inputs.</b> A batch shape, x and g data values (outliers included) on independent scales
 * over four decades, so the cancellation in {@code x - (x - g)} is exercised.
 *
 * <p><b>Error measure and tolerance.</b> Per element {@code |dL/dx - g| / (|x| + |g|)}. Backpropagation
 * returns {@code fl(x - fl(x - g))} exactly (the factors 1/2 and 2 of the square are powers of two), so
 * with unit roundoff u the error is at most {@code u |x - g| + u |g| (1 + u) <= 2u (|x| + |g|) = EPS (|x| + |g|)}
 * up to O(u^2); we allow 2 EPS, for every input (the conditioning is in {@code |x| + |g|}).
 */
public final class I18SurrogateGradient implements Identity<I18SurrogateGradient.Input> {
    /**
     * @param shape the batch shape
     * @param x the point
     * @param g the prescribed gradient
     */
    public record Input(int[] shape, double[] x, double[] g) {
        @Override
        public String toString() {
            return "shape " + Arrays.toString(shape) + ", x = " + Arrays.toString(x) + ", g = " + Arrays.toString(g);
        }
    }

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
    public Input input(Choices c) {
        int[] shape = Inputs.shape(c);
        int n = Inputs.numel(shape);
        return new Input(shape, Inputs.values(c, "x", n), Inputs.values(c, "g", n));
    }

    @Override
    public double error(Input in) {
        Tensor x = Inputs.tensor(in.x(), in.shape()).requiresGrad(true);
        Tensor g = Inputs.tensor(in.g(), in.shape());
        Tensor grad = Autograd.grad(List.of(SurrogateLoss.withGradient(x, g)), List.of(x), null, false).get(0);
        double[] got = grad.toDoubleArray();
        double worst = 0;
        for (int k = 0; k < got.length; k++) {
            double scale = Math.abs(in.x()[k]) + Math.abs(in.g()[k]);
            worst = Math.max(worst, Inputs.relative(Math.abs(got[k] - in.g()[k]), scale));
        }
        return worst;
    }

    @Override
    public double tolerance(Input in) {
        return 2 * Inputs.EPS;
    }
}
