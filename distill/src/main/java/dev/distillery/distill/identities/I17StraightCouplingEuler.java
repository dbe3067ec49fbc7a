package dev.distillery.distill.identities;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.identities.Choices;
import dev.distillery.diffusion.identities.Identity;
import dev.distillery.distill.core.RectifiedFlow;

import java.util.Arrays;
import java.util.Objects;

/**
 * <b>I17</b> (rectified flow, Liu et al. 2023; MATH.md section 6): on an exactly straight coupling,
 * where the velocity along {@code X_t = t X_1 + (1 - t) X_0} is the constant {@code X_1 - X_0}, one
 * Euler step from any t to any s lands on {@code X_s}.
 *
 * <p><b>Inputs.</b> A batch shape, X_0 and X_1 data values (outliers included) each on its own
 * scale, and t, s in [0, 1] (edges 1/2 and the bounds: the step from noise to data and back).
 *
 * <p><b>Error measure and tolerance.</b> Per element {@code |Z_s - X_s| / M}, {@code M = |X_0| + |X_1|}.
 * With unit roundoff u: {@code X_t = t X_1 + (1 - t) X_0} rounds four times, each error at most
 * {@code u} times a term bounded by M, in total under {@code 3u M} (the product by {@code (1 - t)} carries the
 * rounding of {@code 1 - t}, so the X_0 term gets two); the velocity {@code X_1 - X_0}, the step
 * {@code s - t}, their product and the final sum add at most {@code u M} each ({@code |s - t| <= 1});
 * the reference X_s carries another {@code 3u M}. Total under {@code 10 u M = 5 EPS M}; we allow 8 EPS,
 * for every input (the conditioning is in M).
 */
public final class I17StraightCouplingEuler implements Identity<I17StraightCouplingEuler.Input> {
    /** The Euler step under test: {@code z_s = z_t + (s - t) v}. */
    @FunctionalInterface
    public interface EulerStep {
        /** One step from {@code zt} at time t to time s along {@code velocity}. */
        Tensor step(Tensor zt, Tensor velocity, double t, double s);
    }

    /**
     * @param shape the batch shape
     * @param x0 X_0
     * @param x1 X_1
     * @param t the start time
     * @param s the end time
     */
    public record Input(int[] shape, double[] x0, double[] x1, double t, double s) {
        @Override
        public String toString() {
            return "shape " + Arrays.toString(shape) + ", X_0 = " + Arrays.toString(x0) + ", X_1 = "
                    + Arrays.toString(x1) + ", t = " + t + ", s = " + s;
        }
    }

    private final EulerStep euler;

    /** The identity for {@link RectifiedFlow#eulerStep}. */
    public I17StraightCouplingEuler() {
        this(RectifiedFlow::eulerStep);
    }

    /** The identity for another Euler step: tests pass a wrong one and watch the property fail. */
    public I17StraightCouplingEuler(EulerStep euler) {
        this.euler = Objects.requireNonNull(euler, "euler");
    }

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
    public Input input(Choices c) {
        int[] shape = Inputs.shape(c);
        int n = Inputs.numel(shape);
        double[] x0 = Inputs.values(c, "X_0", n);
        double[] x1 = Inputs.values(c, "X_1", n);
        return new Input(shape, x0, x1, c.real("t", 0.0, 1.0, 0.5), c.real("s", 0.0, 1.0, 0.5));
    }

    @Override
    public double error(Input in) {
        Tensor x0 = Inputs.tensor(in.x0(), in.shape());
        Tensor x1 = Inputs.tensor(in.x1(), in.shape());
        Tensor xt = RectifiedFlow.interpolate(x0, x1, in.t());
        double[] got = euler.step(xt, RectifiedFlow.targetVelocity(x0, x1), in.t(), in.s()).toDoubleArray();
        double[] want = RectifiedFlow.interpolate(x0, x1, in.s()).toDoubleArray();
        double worst = 0;
        for (int k = 0; k < got.length; k++) {
            double m = Math.abs(in.x0()[k]) + Math.abs(in.x1()[k]);
            worst = Math.max(worst, Inputs.relative(Math.abs(got[k] - want[k]), m));
        }
        return worst;
    }

    @Override
    public double tolerance(Input in) {
        return 8 * Inputs.EPS;
    }
}
