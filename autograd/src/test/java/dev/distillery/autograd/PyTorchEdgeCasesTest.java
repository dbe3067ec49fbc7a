package dev.distillery.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.simd.SimdBackend;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values and gradients where a formula reads 0 * inf, inf - inf or NaN > 0, against what PyTorch
 * returns for the same inputs (torch 1.13, float64; {@code docs/pytorch_parity.py} prints them),
 * on the scalar oracle and on the SIMD backend. Away from these points the ops are gradchecked
 * (first and second order) through {@link OpCatalog}.
 */
class PyTorchEdgeCasesTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    static Stream<Supplier<Backends.Scope>> backends() {
        return Stream.of(() -> Backends.use(Backends.scalar()), () -> Backends.use(new SimdBackend(2)));
    }

    private static Tensor leaf(double... v) {
        return Tensor.of(v, v.length).requiresGrad(true);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void powGradientsAtAZeroBaseFollowPyTorch(Supplier<Backends.Scope> backend) {
        try (Backends.Scope ignored = backend.get()) {
            // torch: d/da = 0 where b = 0, else b a^(b-1) (1 at b = 1, 0 for b > 1);
            // d/db = 0 where a = 0 and b >= 0
            Tensor a = leaf(0, 0, 0, 0, 2);
            Tensor b = leaf(0, 1, 2, 2.5, 3);
            a.pow(b).sum().backward();
            assertArrayEquals(new double[] {0, 1, 0, 0, 12}, a.grad().toDoubleArray(), 0.0);
            assertArrayEquals(new double[] {0, 0, 0, 0, 8 * Math.log(2)}, b.grad().toDoubleArray(), 1e-15);
            Tensor x = leaf(0, 3);
            x.pow(0.0).sum().backward();      // d/dx x^0 = 0, also at x = 0 (not 0 * 0^-1 = NaN)
            assertArrayEquals(new double[] {0, 0}, x.grad().toDoubleArray(), 0.0);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void logsumexpOfInfiniteRowsIsInfinite(Supplier<Backends.Scope> backend) {
        try (Backends.Scope ignored = backend.get()) {
            Tensor x = Tensor.of(new double[] {-INF, -INF, 1, INF, -INF, 0, 0, Math.log(3)}, 4, 2);
            assertArrayEquals(new double[] {-INF, INF, 0, Math.log(4)}, x.logsumexp(1, false).toDoubleArray(), 1e-15);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void reluKeepsNaNAndPassesItsGradientAsTorch(Supplier<Backends.Scope> backend) {
        try (Backends.Scope ignored = backend.get()) {
            // eight elements so the SIMD loop, not only its scalar tail, sees the NaN
            Tensor x = leaf(Double.NaN, -1, 0, 2, Double.NaN, -0.5, 3, -INF);
            Tensor y = x.relu();
            double[] v = y.toDoubleArray();
            assertTrue(Double.isNaN(v[0]) && Double.isNaN(v[4]), "relu(NaN) must be NaN, got " + v[0] + ", " + v[4]);
            assertArrayEquals(new double[] {0, 0, 2, 0, 3, 0}, new double[] {v[1], v[2], v[3], v[5], v[6], v[7]}, 0.0);
            y.sum().backward();   // torch: threshold_backward passes g unless the output is <= 0, so also at NaN
            assertArrayEquals(new double[] {1, 0, 0, 1, 1, 0, 1, 0}, x.grad().toDoubleArray(), 0.0);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void clampPassesTheGradientAtItsBounds(Supplier<Backends.Scope> backend) {
        try (Backends.Scope ignored = backend.get()) {
            // torch clamp_backward: g where lo <= x <= hi, bounds included
            Tensor x = leaf(-0.5, 0.7, 0.1, -2, 2, Double.NaN);
            Tensor y = x.clamp(-0.5, 0.7);
            double[] v = y.toDoubleArray();
            assertArrayEquals(new double[] {-0.5, 0.7, 0.1, -0.5, 0.7}, java.util.Arrays.copyOf(v, 5), 0.0);
            assertTrue(Double.isNaN(v[5]), "clamp(NaN) must be NaN");
            y.sum().backward();
            assertArrayEquals(new double[] {1, 1, 1, 0, 0, 0}, x.grad().toDoubleArray(), 0.0);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void leakyReluDefaultsToPyTorchsSlope(Supplier<Backends.Scope> backend) {
        try (Backends.Scope ignored = backend.get()) {
            assertArrayEquals(new double[] {-0.02, 3}, Tensor.of(new double[] {-2, 3}, 2).leakyRelu().toDoubleArray(), 1e-17);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void clampAndPowAreTwiceDifferentiableAwayFromTheirKinks(Supplier<Backends.Scope> backend) {
        try (Backends.Scope ignored = backend.get()) {
            Tensor x = leaf(-0.3, 0.2, 0.65, -0.45);
            assertTrue(GradCheck.second(v -> v.get(0).clamp(-0.5, 0.7).mul(v.get(0)), List.of(x),
                    GradCheck.Tolerance.DEFAULT).passed());
            Tensor a = leaf(0.5, 1.5, 2.0);
            Tensor b = leaf(0.3, 1.0, -0.5);
            assertTrue(GradCheck.second(v -> v.get(0).pow(v.get(1)), List.of(a, b), GradCheck.Tolerance.DEFAULT).passed());
            assertEquals(1.0, Tensor.of(new double[] {0.0}, 1).pow(0.0).item(), 0.0);
        }
    }
}
