package dev.distillery.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reverse-mode engine: grad API, scopes, stop-gradient, accumulation, graph lifetime. */
class AutogradTest {
    private Backends.Scope scope;

    @BeforeEach
    void useOracle() {
        scope = Backends.use(Backends.scalar());
    }

    @AfterEach
    void restore() {
        scope.close();
    }

    @Test
    void gradOfPolynomialMatchesHandDerivative() {
        Tensor x = Tensor.of(new double[] {1.5, -2.0}, 2).requiresGrad(true);
        Tensor y = x.pow(3.0).sum().add(x.mul(x).sum().mul(2.0));        // sum x^3 + 2 x^2
        Tensor g = Autograd.grad(List.of(y), List.of(x), null, false).get(0);
        assertArrayEquals(new double[] {3 * 2.25 + 4 * 1.5, 3 * 4.0 - 8.0}, g.toDoubleArray(), 1e-12);
    }

    @Test
    void secondDerivativeThroughCreateGraph() {
        Tensor x = Tensor.of(new double[] {0.3}, 1).requiresGrad(true);
        Tensor y = x.sin().sum();
        Tensor dy = Autograd.grad(List.of(y), List.of(x), null, true).get(0);    // cos x
        Tensor d2y = Autograd.grad(List.of(dy.sum()), List.of(x), null, false).get(0);  // -sin x
        assertEquals(Math.cos(0.3), dy.item(), 1e-15);
        assertEquals(-Math.sin(0.3), d2y.item(), 1e-15);
    }

    @Test
    void backwardAccumulatesIntoLeavesAcrossCalls() {
        Tensor w = Tensor.of(new double[] {2.0}, 1).requiresGrad(true);
        w.mul(3.0).sum().backward();
        w.mul(w).sum().backward();
        assertEquals(3.0 + 4.0, w.grad().item(), 0);
        w.zeroGrad();
        assertNull(w.grad());
    }

    @Test
    void sharedSubexpressionGradientsAdd() {
        Tensor x = Tensor.of(new double[] {2.0}, 1).requiresGrad(true);
        Tensor h = x.exp();
        Tensor y = h.mul(h).add(h).sum();     // e^{2x} + e^x
        Tensor g = Autograd.grad(List.of(y), List.of(x), null, false).get(0);
        assertEquals(2 * Math.exp(4) + Math.exp(2), g.item(), 1e-12);
    }

    @Test
    void detachIsStopGradient() {
        Tensor x = Tensor.of(new double[] {1.0, 2.0}, 2).requiresGrad(true);
        Tensor y = x.mul(x.detach()).sum();   // d/dx sum(x sg(x)) = sg(x)
        Tensor g = Autograd.grad(List.of(y), List.of(x), null, false).get(0);
        assertArrayEquals(new double[] {1.0, 2.0}, g.toDoubleArray(), 0);
        assertFalse(x.detach().requiresGrad());
    }

    @Test
    void noGradRecordsNothingAndRestoresMode() {
        Tensor x = Tensor.of(new double[] {1.0}, 1).requiresGrad(true);
        try (var s = Autograd.noGrad()) {
            assertFalse(x.mul(2.0).requiresGrad());
            try (var inner = Autograd.enableGrad()) {
                assertTrue(x.mul(2.0).requiresGrad());
            }
            assertFalse(Autograd.isGradEnabled());
        }
        assertTrue(Autograd.isGradEnabled());
    }

    @Test
    void usingAFreedGraphTwiceIsAClearError() {
        Tensor x = Tensor.of(new double[] {1.0}, 1).requiresGrad(true);
        Tensor y = x.exp().sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("already freed") && e.getMessage().contains("retainGraph"), e.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = Tensor.of(new double[] {1.0}, 1).requiresGrad(true);
        Tensor y = x.exp().sum();
        y.backward(null, true);
        y.backward();
        assertEquals(2 * Math.E, x.grad().item(), 1e-12);
    }

    @Test
    void unusedInputGetsZeroGradient() {
        Tensor x = Tensor.of(new double[] {1.0, 2.0}, 2).requiresGrad(true);
        Tensor z = Tensor.of(new double[] {5.0}, 1).requiresGrad(true);
        List<Tensor> g = Autograd.grad(List.of(x.sum()), List.of(x, z), null, false);
        assertArrayEquals(new double[] {0.0}, g.get(1).toDoubleArray(), 0);
    }

    @Test
    void nonScalarOutputNeedsGradOutput() {
        Tensor x = Tensor.of(new double[] {1.0, 2.0}, 2).requiresGrad(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(List.of(x.mul(2.0)), List.of(x), null, false));
        assertTrue(e.getMessage().contains("gradOutput"), e.getMessage());
        Tensor g = Autograd.grad(List.of(x.mul(2.0)), List.of(x), List.of(Tensor.of(new double[] {1, 10}, 2)), false).get(0);
        assertArrayEquals(new double[] {2, 20}, g.toDoubleArray(), 0);
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Tensor x = Tensor.of(new double[] {1.0}, 1).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) {
            y = y.mul(1.0);
        }
        assertEquals(1.0, Autograd.grad(List.of(y.sum()), List.of(x), null, false).get(0).item(), 0);
    }

    @Test
    void shapeErrorsNameTheOpAndBothShapes() {
        Tensor a = Tensor.zeros(DType.F64, 2, 3);
        Tensor b = Tensor.zeros(DType.F64, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"),
                e.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> a.matmul(a));
        assertTrue(m.getMessage().contains("matmul") && m.getMessage().contains("inner"), m.getMessage());
    }

    @Test
    void dtypeMismatchNamesTheFix() {
        Tensor a = Tensor.zeros(DType.F64, 2);
        Tensor b = Tensor.zeros(DType.F32, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.mul(b));
        assertTrue(e.getMessage().contains("dtype") && e.getMessage().contains(".to("), e.getMessage());
    }

    @Test
    void gradcheckCatchesAWrongGradient() {
        // sin with the derivative of -cos: forward right, backward wrong
        java.util.function.Function<List<Tensor>, Tensor> wrong = v -> {
            Tensor x = v.get(0);
            Tensor out = x.sin().detach();
            return Graph.record(Primitive.SIN, out, g -> new Tensor[] {g.mul(x.sin())}, x);
        };
        Tensor x = Tensor.of(new double[] {0.1, 0.7, -1.2}, 3);
        GradCheck.Report bad = GradCheck.first(wrong, List.of(x), GradCheck.Tolerance.DEFAULT);
        assertFalse(bad.passed(), bad.toString());
        GradCheck.Report good = GradCheck.first(v -> v.get(0).sin(), List.of(x), GradCheck.Tolerance.DEFAULT);
        assertTrue(good.passed(), good.toString());
    }

    @Test
    void gradcheckSecondOrderCatchesANonDifferentiableBackward() {
        // right first derivative computed from detached values: second order must fail
        java.util.function.Function<List<Tensor>, Tensor> detachedBackward = v -> {
            Tensor x = v.get(0);
            Tensor out = x.sin().detach();
            return Graph.record(Primitive.SIN, out, g -> new Tensor[] {g.mul(x.detach().cos())}, x);
        };
        Tensor x = Tensor.of(new double[] {0.1, 0.7, -1.2}, 3);
        assertTrue(GradCheck.first(detachedBackward, List.of(x), GradCheck.Tolerance.DEFAULT).passed());
        assertFalse(GradCheck.second(detachedBackward, List.of(x), GradCheck.Tolerance.DEFAULT).passed());
    }

    /**
     * The R1 penalty {@code ||d f(x)/dx||^2} of a two-layer network needs gradients of gradients;
     * its gradient with respect to the first layer's weights must match finite differences.
     */
    @Test
    void r1PenaltyParameterGradientMatchesFiniteDifferences() {
        Tensor x = Tensor.randn(DType.F64, 42, 0, 4, 3);
        Tensor w2 = Tensor.randn(DType.F64, 43, 0, 5, 1);
        java.util.function.Function<List<Tensor>, Tensor> r1 = v -> {
            Tensor w1 = v.get(0);
            Tensor b1 = v.get(1);
            Tensor xin = x.detach().requiresGrad(true);
            Tensor f = xin.matmul(w1).add(b1).tanh().matmul(w2).sum();
            Tensor dfdx = Autograd.grad(List.of(f), List.of(xin), null, true).get(0);
            return dfdx.square().sum();
        };
        Tensor w1 = Tensor.randn(DType.F64, 44, 0, 3, 5);
        Tensor b1 = Tensor.randn(DType.F64, 45, 0, 5);
        GradCheck.Report r = GradCheck.first(r1, List.of(w1, b1), GradCheck.Tolerance.DEFAULT);
        assertTrue(r.passed(), r.toString());
    }
}
