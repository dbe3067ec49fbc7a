package dev.distillery.distill.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;

import org.junit.jupiter.api.Test;

/**
 * CTM built from an exact solution map: for Gaussian data N(mu, s^2) the PF-ODE flow from t to s is
 * {@code x -> mu + (x - mu) sqrt(s_d^2 + s^2)/sqrt(s_d^2 + t^2)} (derived in {@link ConsistencyTest}). With g
 * chosen so that G is that flow, soft consistency {@code G(x, t, s) = G(G(x, t, u), u, s)} holds for any
 * u in [s, t], and {@code G(., s, 0)} maps both to the same clean sample.
 */
class CtmParameterizationTest extends ScalarBackendTest {
    private static final double MU = -0.3;
    private static final double SD = 0.6;

    private static Tensor flow(Tensor x, double t, double s) {
        return x.sub(MU).mul(Math.sqrt(SD * SD + s * s) / Math.sqrt(SD * SD + t * t)).add(MU);
    }

    private static Tensor exactG(Tensor x, double t, double s) {
        if (s == t) {
            return CtmParameterization.apply(x, t, s, x.zerosLike());
        }
        return CtmParameterization.apply(x, t, s, CtmParameterization.networkOutputFor(x, t, s, flow(x, t, s)));
    }

    @Test
    void exactIntegratorIsConsistentAcrossIntermediateTimes() {
        Tensor x = Tensor.randn(DType.F64, 9L, 0, 16, 2).mul(5.0);
        double t = 5.0;
        double s = 0.5;
        double worst = 0;
        for (double u : new double[] {0.5, 1.0, 2.5, 4.9}) {
            Tensor direct = exactG(exactG(x, t, s), s, 0.0);
            Tensor viaU = exactG(exactG(exactG(x, t, u), u, s), s, 0.0);
            worst = Math.max(worst, maxAbs(direct.toDoubleArray(), viaU.toDoubleArray()));
        }
        assertTrue(worst < 1e-13, "soft consistency of the exact CTM: " + worst);
    }
}
