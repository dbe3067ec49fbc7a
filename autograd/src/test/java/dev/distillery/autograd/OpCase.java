package dev.distillery.autograd;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One entry of the op catalog: an op applied to inputs drawn from stated domains.
 *
 * @param name         the Tensor method it exercises, optionally "/variant"
 * @param inputs       shape and value domain of each differentiable input
 * @param op           the op applied to the inputs
 * @param tolerance    the gradcheck step and bounds (the default except for ops that round)
 * @param conditioning how many rounding errors may accumulate in one output element (1 for a
 *                     correctly rounded elementwise op, about n for a reduction of n terms); the
 *                     backend conformance tolerance scales with it
 */
public record OpCase(String name, List<InputSpec> inputs, Function<List<Tensor>, Tensor> op, double conditioning,
                     GradCheck.Tolerance tolerance) {

    /**
     * Shape and the interval values are drawn from; {@code awayFromZero} mirrors [lo, hi] to
     * negative values too; a positive {@code grid} rounds values to its multiples (for ops that
     * are exact only on a grid, such as a cast to F32).
     */
    public record InputSpec(int[] dims, double lo, double hi, boolean awayFromZero, double grid) {
        public static InputSpec uniform(double lo, double hi, int... dims) {
            return new InputSpec(dims, lo, hi, false, 0);
        }

        public static InputSpec awayFromZero(double lo, double hi, int... dims) {
            return new InputSpec(dims, lo, hi, true, 0);
        }

        public static InputSpec onGrid(double lo, double hi, double grid, int... dims) {
            return new InputSpec(dims, lo, hi, false, grid);
        }
    }

    /** The Tensor method name this case covers. */
    public String method() {
        int slash = name.indexOf('/');
        return slash < 0 ? name : name.substring(0, slash);
    }

    /** Inputs of the given dtype on the current backend, from fixed Philox keys (same values on every backend). */
    public List<Tensor> sample(DType dtype, long seed) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            InputSpec s = inputs.get(i);
            double[] u = Tensor.rand(DType.F64, seed * 31 + i, 0, s.dims()).toDoubleArray();
            double[] v = new double[u.length];
            for (int j = 0; j < u.length; j++) {
                if (s.awayFromZero()) {
                    double w = 2 * u[j] - 1;
                    v[j] = Math.copySign(s.lo() + Math.abs(w) * (s.hi() - s.lo()), w);
                } else {
                    v[j] = s.lo() + u[j] * (s.hi() - s.lo());
                }
                if (s.grid() > 0) {
                    v[j] = Math.rint(v[j] / s.grid()) * s.grid();
                }
            }
            out.add(Tensor.of(dtype, v, s.dims()));
        }
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
