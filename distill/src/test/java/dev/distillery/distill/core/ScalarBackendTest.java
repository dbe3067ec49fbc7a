package dev.distillery.distill.core;

import dev.distillery.autograd.Backends;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Runs each test on the scalar oracle backend (the SIMD backend is not merged into this branch yet). */
abstract class ScalarBackendTest {
    private Backends.Scope scope;

    @BeforeEach
    void useScalarBackend() {
        scope = Backends.use(Backends.scalar());
    }

    @AfterEach
    void restoreBackend() {
        scope.close();
    }

    static double maxAbs(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
