package dev.distillery.autograd;

import dev.distillery.autograd.backend.Backend;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs an op case on a backend and compares it with the scalar oracle: the forward value and the
 * gradient of {@code <r, f(x)>} for a fixed projection r. Reused by every backend's conformance
 * suite (SIMD here, CUDA in gpu/).
 *
 * <p>Tolerance, from the error analysis of a computation whose output element accumulates about
 * c rounding errors of relative size eps (c = the case's conditioning): a backend that rounds
 * differently from the oracle (other summation order, vectorised transcendental functions within
 * 2 ulp) differs by at most {@code ~2 c eps (|y| + m)} where m is the magnitude of the summed
 * terms, bounded here by the values' scale (inputs are O(1)). We allow a factor 8 above that for
 * the backward pass, which chains a few such computations.
 */
public final class BackendConformance {
    private BackendConformance() {
    }

    /** Output and input gradients of one case on one backend. */
    public record Result(double[] value, List<double[]> grads) {
    }

    public static Result run(OpCase c, Backend backend, DType dtype, long seed) {
        try (var s = Backends.use(backend)) {
            List<Tensor> xs = new ArrayList<>();
            for (Tensor t : c.sample(dtype, seed)) {
                xs.add(t.requiresGrad(true));
            }
            Tensor y = c.op().apply(xs);
            Tensor r = Tensor.randn(y.dtype(), 0xC0FFEEL, 0, y.shape().dims());
            List<Tensor> g = Autograd.grad(List.of(y.mul(r).sum()), xs, null, false);
            List<double[]> grads = new ArrayList<>();
            for (Tensor t : g) {
                grads.add(t.toDoubleArray());
            }
            return new Result(y.toDoubleArray(), grads);
        }
    }

    /** Null when {@code candidate} agrees with {@code oracle} within tolerance, else a description of the worst element. */
    public static String compare(OpCase c, DType dtype, Result oracle, Result candidate) {
        double eps = dtype.epsilon();
        String v = compareArrays("value", oracle.value(), candidate.value(), 2 * c.conditioning() * eps);
        if (v != null) {
            return v;
        }
        for (int i = 0; i < oracle.grads().size(); i++) {
            String g = compareArrays("gradient of input " + i, oracle.grads().get(i), candidate.grads().get(i),
                    8 * 2 * c.conditioning() * eps);
            if (g != null) {
                return g;
            }
        }
        return null;
    }

    private static String compareArrays(String what, double[] expected, double[] actual, double relTol) {
        if (expected.length != actual.length) {
            return what + ": length " + actual.length + " vs " + expected.length;
        }
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double bound = relTol * (Math.abs(expected[i]) + Math.max(scale, 1.0));
            double err = Math.abs(expected[i] - actual[i]);
            if (!(err <= bound) && !(Double.isNaN(expected[i]) && Double.isNaN(actual[i]))) {
                return String.format("%s[%d]: %.17g vs oracle %.17g (error %.3e > bound %.3e)", what, i, actual[i],
                        expected[i], err, bound);
            }
        }
        return null;
    }
}
