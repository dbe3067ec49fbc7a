package dev.distillery.distill.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rectified flow: reflow fixes a straight coupling; the straightness measure's known answers. */
class RectifiedFlowTest extends ScalarBackendTest {
    private static final int N = 256;

    /**
     * A straight coupling {@code X_1 = X_0 + c} (constant shift: the lines never cross). The velocity
     * {@code v(x, t) = [x, t, 1] A} fitted by least squares on {@code (X_t, X_1 - X_0)} is the constant c
     * (the target lies in the model class, so the residual is zero). Sampling from the noise end with one
     * Euler step returns X_0 exactly, so the reflowed coupling {@code (Z_0, Z_1)} is the input coupling.
     */
    @Test
    void reflowOnAStraightCouplingReturnsItAndOneEulerStepIsExact() {
        Tensor x0 = Tensor.randn(DType.F64, 1L, 0, N, 2);
        Tensor shift = Tensor.of(new double[] {1.5, -0.75}, 1, 2);
        Tensor x1 = x0.add(shift);
        Tensor t = Tensor.rand(DType.F64, 2L, 0, N);
        Tensor xt = RectifiedFlow.interpolate(x0, x1, t);
        double[][] a = fitLinearVelocity(xt.toDoubleArray(), t.toDoubleArray(),
                RectifiedFlow.targetVelocity(x0, x1).toDoubleArray());
        for (int j = 0; j < 2; j++) {
            for (int f = 0; f < 3; f++) {
                assertEquals(0.0, a[f][j], 1e-12, "weight of feature " + f);
            }
            assertEquals(shift.toDoubleArray()[j], a[3][j], 1e-12, "constant term");
        }
        Tensor v1 = velocity(a, x1, 1.0);
        Tensor z0 = RectifiedFlow.eulerStep(x1, v1, 1.0, 0.0);
        assertArrayEquals(x0.toDoubleArray(), z0.toDoubleArray(), 1e-12, "reflow coupling (Z_0, Z_1) = (X_0, X_1)");
        assertEquals(0.0, RectifiedFlow.loss(x0, x1, velocity(a, xt, t)).item(), 1e-22);
        // the 8-step Euler trajectory of the fitted flow is straight
        List<Tensor> states = new ArrayList<>();
        double[] times = new double[9];
        Tensor z = x1;
        for (int k = 8; k >= 0; k--) {
            times[8 - k] = k / 8.0;
            states.add(z);
            if (k > 0) {
                z = RectifiedFlow.eulerStep(z, velocity(a, z, k / 8.0), k / 8.0, (k - 1) / 8.0);
            }
        }
        assertTrue(RectifiedFlow.straightness(states, times) < 1e-22);
    }

    /**
     * The quarter circle {@code Z_t = (cos(pi t/2), sin(pi t/2))}: {@code Z_1 - Z_0 = (-1, 1)},
     * {@code |Z'|^2 = pi^2/4}, {@code <Z_1 - Z_0, Z'> = (pi/2)(sin + cos)} which integrates to 2, so
     * {@code S = 2 - 2*2 + pi^2/4 = pi^2/4 - 2}.
     */
    @Test
    void straightnessOfAQuarterCircleIsPiSquaredOverFourMinusTwo() {
        int k = 2048;
        List<Tensor> states = new ArrayList<>();
        double[] times = new double[k + 1];
        for (int i = 0; i <= k; i++) {
            times[i] = (double) i / k;
            double a = Math.PI / 2 * times[i];
            states.add(Tensor.of(new double[] {Math.cos(a), Math.sin(a)}, 1, 2));
        }
        double s = RectifiedFlow.straightness(states, times);
        assertEquals(Math.PI * Math.PI / 4 - 2, s, 1e-6);
    }

    @Test
    void interpolationHitsBothEndpointsExactly() {
        Tensor x0 = Tensor.randn(DType.F64, 3L, 0, 4, 3);
        Tensor x1 = Tensor.randn(DType.F64, 4L, 0, 4, 3);
        assertArrayEquals(x0.toDoubleArray(), RectifiedFlow.interpolate(x0, x1, 0.0).toDoubleArray(), 0.0);
        assertArrayEquals(x1.toDoubleArray(), RectifiedFlow.interpolate(x0, x1, 1.0).toDoubleArray(), 0.0);
    }

    private static Tensor velocity(double[][] a, Tensor x, double t) {
        return velocity(a, x, Tensor.full(DType.F64, t, x.dim(0)));
    }

    private static Tensor velocity(double[][] a, Tensor x, Tensor t) {
        Tensor features = Tensor.concat(List.of(x, t.reshape(-1, 1), Tensor.ones(DType.F64, x.dim(0), 1)), 1);
        double[] flat = new double[8];
        for (int f = 0; f < 4; f++) {
            flat[2 * f] = a[f][0];
            flat[2 * f + 1] = a[f][1];
        }
        return features.matmul(Tensor.of(flat, 4, 2));
    }

    /** Least squares for A (4x2) in {@code [x, t, 1] A = v}: normal equations solved by Gaussian elimination. */
    private static double[][] fitLinearVelocity(double[] x, double[] t, double[] v) {
        int n = t.length;
        double[][] m = new double[4][6];
        for (int i = 0; i < n; i++) {
            double[] f = {x[2 * i], x[2 * i + 1], t[i], 1.0};
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    m[r][c] += f[r] * f[c];
                }
                m[r][4] += f[r] * v[2 * i];
                m[r][5] += f[r] * v[2 * i + 1];
            }
        }
        for (int p = 0; p < 4; p++) {
            int best = p;
            for (int r = p + 1; r < 4; r++) {
                if (Math.abs(m[r][p]) > Math.abs(m[best][p])) {
                    best = r;
                }
            }
            double[] tmp = m[p];
            m[p] = m[best];
            m[best] = tmp;
            for (int r = 0; r < 4; r++) {
                if (r != p) {
                    double factor = m[r][p] / m[p][p];
                    for (int c = p; c < 6; c++) {
                        m[r][c] -= factor * m[p][c];
                    }
                }
            }
        }
        double[][] a = new double[4][2];
        for (int r = 0; r < 4; r++) {
            a[r][0] = m[r][4] / m[r][r];
            a[r][1] = m[r][5] / m[r][r];
        }
        return a;
    }
}
