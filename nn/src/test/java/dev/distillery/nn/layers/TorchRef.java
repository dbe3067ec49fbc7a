package dev.distillery.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distillery.autograd.Shape;
import dev.distillery.autograd.Tensor;

/**
 * Inputs that {@code docs/pytorch_layer_reference.py} builds the same way (exact in binary on both
 * sides), and the comparison of our values with the torch values it printed.
 */
final class TorchRef {
    private TorchRef() {
    }

    /** {@code ((i mul) mod m - shift) / scale}: the script's {@code ramp}. */
    static double[] ramp(int n, int mul, int mod, int shift, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = ((i * mul) % mod - shift) / scale;
        }
        return v;
    }

    static double[] ramp(int n) {
        return ramp(n, 37, 101, 50, 16.0);
    }

    static Tensor ramp(int... dims) {
        return Tensor.of(ramp(Shape.of(dims).numel()), dims);
    }

    /**
     * Asserts the shape and {@code max |torch - ours| <= tol} (NaN matching NaN, infinities equal),
     * and returns that maximum so a test can report it.
     */
    static double close(String what, double[] torch, Tensor ours, int[] shape, double tol) {
        assertEquals(Shape.of(shape), ours.shape(), what + ": shape");
        double[] v = ours.toDoubleArray();
        double max = 0;
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(torch[i]) || Double.isInfinite(torch[i])) {
                assertEquals(torch[i], v[i], what + " at " + i);
                continue;
            }
            max = Math.max(max, Math.abs(torch[i] - v[i]));
        }
        if (!(max <= tol)) {
            assertArrayEquals(torch, v, tol, what + ": max |torch - ours| = " + max);
        }
        return max;
    }
}
