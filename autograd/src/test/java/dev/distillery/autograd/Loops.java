package dev.distillery.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Independent references for the value tests of the op rules: plain loops over row-major arrays,
 * written from the ops' definitions and sharing no code with the rules or the backends. Inputs
 * are asymmetric (no two elements alike, no sign pattern repeated), so that {@code +} and
 * {@code -}, or swapped indices, give different results.
 */
final class Loops {
    private Loops() {
    }

    /** n distinct values of both signs, different for each {@code salt}. */
    static double[] values(int n, double salt) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.sin(1.37 * i + salt) * (1 + 0.11 * i) + 0.05 * salt;
        }
        return v;
    }

    static Tensor leaf(double salt, int... dims) {
        return Tensor.of(values(Shape.of(dims).numel(), salt), dims).requiresGrad(true);
    }

    static Tensor constant(double salt, int... dims) {
        return Tensor.of(values(Shape.of(dims).numel(), salt), dims);
    }

    static int[] strides(int[] dims) {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= dims[d];
        }
        return s;
    }

    static int numel(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** Multi-index of flat position {@code flat} in {@code dims}. */
    static int[] unflatten(int flat, int[] dims) {
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = flat % dims[d];
            flat /= dims[d];
        }
        return idx;
    }

    /** Flat position in an operand of shape {@code own} read by output multi-index {@code out} (NumPy broadcasting). */
    static int broadcastSource(int[] out, int[] own) {
        int lead = out.length - own.length;
        int flat = 0;
        for (int d = 0; d < own.length; d++) {
            int i = own[d] == 1 ? 0 : out[d + lead];
            flat = flat * own[d] + i;
        }
        return flat;
    }

    /** Values equal within {@code tol} relative to the largest expected magnitude (and 1). */
    static void assertClose(String what, double[] expected, Tensor actual, double tol) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, what + ": length");
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertArrayEquals(expected, a, tol * scale, what);
    }
}
