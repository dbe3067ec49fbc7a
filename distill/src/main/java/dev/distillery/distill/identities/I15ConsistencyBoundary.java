package dev.distillery.distill.identities;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.identities.Choices;
import dev.distillery.diffusion.identities.Identity;
import dev.distillery.distill.core.ConsistencyParameterization;

import java.util.Arrays;

/**
 * <b>I15</b> (consistency boundary condition, Song et al. 2023; MATH.md section 6): {@code f(x, eps) = x}
 * for any network output F.
 *
 * <p><b>Inputs.</b> {@code sigma_data = 10^a}, a in [-1.5, 0.5], and {@code eps = 10^b}, b in [-5, 0]
 * (edges: the defaults 0.5 and 0.002, and the bounds), a batch shape, x and F data values
 * (outliers included), each on its own scale.
 *
 * <p><b>Tolerance 0.</b> At {@code t = eps}: {@code t - eps = 0} exactly, so
 * {@code c_skip = sd^2/(0 + sd^2) = 1} (a float divided by itself) and {@code c_out = sd * 0 / ... = 0};
 * {@code 1 * x = x}, {@code 0 * F = +-0} and {@code x + 0 = x} are exact for finite F. This holds for
 * both the scalar-time and the per-sample-time forms, which are both measured, and for every input,
 * so the tolerance does not depend on it. Error: the largest {@code |f - x|}.
 */
public final class I15ConsistencyBoundary implements Identity<I15ConsistencyBoundary.Input> {
    /**
     * @param sigmaData sigma_data
     * @param epsilon the boundary time eps
     * @param shape the batch shape
     * @param x the data
     * @param f the network output F
     */
    public record Input(double sigmaData, double epsilon, int[] shape, double[] x, double[] f) {
        @Override
        public String toString() {
            return "sigma_data = " + sigmaData + ", eps = " + epsilon + ", shape " + Arrays.toString(shape) + ", x = "
                    + Arrays.toString(x) + ", F = " + Arrays.toString(f);
        }
    }

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
    public Input input(Choices c) {
        double sd = Math.pow(10.0, c.real("log10 sigma_data", -1.5, 0.5, Math.log10(0.5)));
        double eps = Math.pow(10.0, c.real("log10 eps", -5.0, 0.0, Math.log10(0.002)));
        int[] shape = Inputs.shape(c);
        int n = Inputs.numel(shape);
        return new Input(sd, eps, shape, Inputs.values(c, "x", n), Inputs.values(c, "F", n));
    }

    @Override
    public double error(Input in) {
        ConsistencyParameterization p = new ConsistencyParameterization(in.sigmaData(), in.epsilon());
        Tensor x = Inputs.tensor(in.x(), in.shape());
        Tensor f = Inputs.tensor(in.f(), in.shape());
        double worst = Inputs.maxAbsDiff(p.apply(x, p.epsilon(), f), x);
        Tensor times = Tensor.full(DType.F64, p.epsilon(), in.shape()[0]);
        return Math.max(worst, Inputs.maxAbsDiff(p.apply(x, times, f), x));
    }

    @Override
    public double tolerance(Input in) {
        return 0.0;
    }
}
