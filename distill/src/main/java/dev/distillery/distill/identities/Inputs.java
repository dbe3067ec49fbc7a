package dev.distillery.distill.identities;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.identities.Choices;

import java.util.Arrays;

/** The input pieces shared by the distillation identities, built from {@link Choices}. */
final class Inputs {
    /** 2^-52, the gap between 1 and the next double; the unit roundoff is EPS / 2. */
    static final double EPS = Math.ulp(1.0);

    private Inputs() {
    }

    /** A batch shape {@code [B, ...]} of rank 2 or 3, dims in [1, 4]; shrinks toward {@code [1, 1]}. */
    static int[] shape(Choices c) {
        return c.shape("shape", 2, 3, 4);
    }

    /** The number of elements of {@code shape}. */
    static int numel(int[] shape) {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    /**
     * {@code n} data values (outliers included) times {@code 10^e}, e in [-2, 2] ({@code name + " log10 scale"}),
     * so that two tensors' magnitudes differ by up to four decades; shrinks toward scale 1 and data 0.
     */
    static double[] values(Choices c, String name, int n) {
        double scale = Math.pow(10.0, c.real(name + " log10 scale", -2.0, 2.0));
        double[] v = c.data(name, n);
        for (int i = 0; i < n; i++) {
            v[i] *= scale;
        }
        return v;
    }

    /** {@code values} as an F64 tensor of {@code shape}. */
    static Tensor tensor(double[] values, int... shape) {
        return Tensor.of(DType.F64, values, shape);
    }

    /** {@code error / scale}, 0 when the error is 0, +Infinity for a positive error at scale 0; NaN stays NaN. */
    static double relative(double error, double scale) {
        if (error == 0.0) {
            return 0.0;
        }
        return scale > 0 ? error / scale : Double.isNaN(error) ? Double.NaN : Double.POSITIVE_INFINITY;
    }

    /** The largest {@code |a_i - b_i|}, NaN when any is NaN. */
    static double maxAbsDiff(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double worst = 0;
        for (int k = 0; k < x.length; k++) {
            worst = Math.max(worst, Math.abs(x[k] - y[k]));
        }
        return worst;
    }
}
