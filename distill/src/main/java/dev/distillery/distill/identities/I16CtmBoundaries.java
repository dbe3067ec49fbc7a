package dev.distillery.distill.identities;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.identities.Choices;
import dev.distillery.diffusion.identities.Identity;
import dev.distillery.distill.core.CtmParameterization;

import java.util.Arrays;

/**
 * <b>I16</b> (CTM boundaries, Kim et al. 2024; MATH.md section 6): {@code G(x, t, t) = x} and
 * {@code G(x, t, 0) = g(x, t, 0)}.
 *
 * <p><b>Inputs.</b> {@code t = 10^e}, e in [-3, 2] (edges the bounds and 0, t = 1), a batch shape,
 * x and g data values (outliers included), each on its own scale.
 *
 * <p><b>Tolerance 0.</b> With {@code G = (s/t) x + (1 - s/t) g}: at s = t, {@code s/t = 1},
 * {@code 1 - 1 = 0}, {@code 1 x + 0 g = x}; at s = 0, {@code 0/t = 0}, {@code 1 - 0 = 1},
 * {@code 0 x + 1 g = g}: every operation is exact for finite x, g and t &gt; 0 (scalar and per-sample
 * forms), for every input. Error: the largest absolute difference.
 */
public final class I16CtmBoundaries implements Identity<I16CtmBoundaries.Input> {
    /**
     * @param t the time
     * @param shape the batch shape
     * @param x the data
     * @param g the network's output
     */
    public record Input(double t, int[] shape, double[] x, double[] g) {
        @Override
        public String toString() {
            return "t = " + t + ", shape " + Arrays.toString(shape) + ", x = " + Arrays.toString(x) + ", g = "
                    + Arrays.toString(g);
        }
    }

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
    public Input input(Choices c) {
        double t = Math.pow(10.0, c.real("log10 t", -3.0, 2.0, 0.0));
        int[] shape = Inputs.shape(c);
        int n = Inputs.numel(shape);
        return new Input(t, shape, Inputs.values(c, "x", n), Inputs.values(c, "g", n));
    }

    @Override
    public double error(Input in) {
        double t = in.t();
        int[] shape = in.shape();
        Tensor x = Inputs.tensor(in.x(), shape);
        Tensor g = Inputs.tensor(in.g(), shape);
        double worst = Inputs.maxAbsDiff(CtmParameterization.apply(x, t, t, g), x);
        worst = Math.max(worst, Inputs.maxAbsDiff(CtmParameterization.apply(x, t, 0.0, g), g));
        Tensor tt = Tensor.full(DType.F64, t, shape[0]);
        Tensor zero = Tensor.zeros(DType.F64, shape[0]);
        worst = Math.max(worst, Inputs.maxAbsDiff(CtmParameterization.apply(x, tt, tt, g), x));
        return Math.max(worst, Inputs.maxAbsDiff(CtmParameterization.apply(x, tt, zero, g), g));
    }

    @Override
    public double tolerance(Input in) {
        return 0.0;
    }
}
