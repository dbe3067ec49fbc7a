package dev.distillery.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.backend.Storage;
import dev.distillery.autograd.simd.SimdBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The backward pass gives consumed gradients back to the backend for reuse. Recycling must be
 * invisible: gradients equal those of a pass that recycles nothing (createGraph), for graphs whose
 * gradients fan out, are summed, and are reshaped views of one another; the caller's gradOutput and
 * the returned gradients stay intact while later allocations reuse recycled memory.
 */
class GradientRecyclingTest {
    private static final int N = 64 * 96;                 // above the pool's minimum length

    /** x feeds three branches (two through reshapes, one twice through an add), then one more op. */
    private static Tensor network(Tensor x, Tensor w) {
        Tensor a = x.mul(w).silu();
        Tensor b = a.reshape(96, 64).exp().reshape(64, 96);
        Tensor c = a.add(a).mul(x);
        return b.add(c).tanh().mul(b);
    }

    @Test
    void gradientsMatchAPassThatRecyclesNothing() {
        SimdBackend be = new SimdBackend(2);
        try (var scope = Backends.use(be)) {
            for (DType dt : DType.values()) {
                Tensor x = Tensor.randn(dt, 1L, 0, 64, 96).mul(0.5).requiresGrad(true);
                Tensor w = Tensor.randn(dt, 2L, 0, 64, 96).mul(0.5).requiresGrad(true);
                Tensor gOut = Tensor.randn(dt, 3L, 0, 64, 96);
                double[] gOutBefore = gOut.toDoubleArray();
                long pooled = be.pooledBytes();
                List<Tensor> recycled = Autograd.grad(List.of(network(x, w)), List.of(x, w), List.of(gOut), false);
                assertTrue(be.pooledBytes() > pooled, "the pass recycled nothing");
                // allocate what the pool now holds several times over, filling it with junk
                for (int i = 0; i < 16; i++) {
                    Tensor.randn(dt, 10L + i, 0, 64, 96).exp();
                }
                List<Tensor> kept = Autograd.grad(List.of(network(x, w)), List.of(x, w), List.of(gOut), true);
                assertArrayEquals(kept.get(0).toDoubleArray(), recycled.get(0).toDoubleArray(), 0.0, "dx " + dt);
                assertArrayEquals(kept.get(1).toDoubleArray(), recycled.get(1).toDoubleArray(), 0.0, "dw " + dt);
                assertArrayEquals(gOutBefore, gOut.toDoubleArray(), 0.0, "the caller's gradOutput " + dt);
            }
        }
    }

    @Test
    void leafGradientsSurviveLaterSteps() {
        try (var scope = Backends.use(new SimdBackend(1))) {
            Tensor w = Tensor.randn(DType.F32, 4L, 0, 64, 96).requiresGrad(true);
            network(Tensor.randn(DType.F32, 5L, 0, 64, 96), w).sum().backward();
            double[] first = w.grad().toDoubleArray();
            for (int i = 0; i < 8; i++) {
                Tensor other = Tensor.randn(DType.F32, 6L + i, 0, 64, 96).requiresGrad(true);
                network(other, other).sum().backward();         // recycles its own gradients
            }
            assertArrayEquals(first, w.grad().toDoubleArray(), 0.0);
        }
    }

    @Test
    void recycledStorageComesBackZeroed() {
        SimdBackend be = new SimdBackend(1);
        Storage s = be.allocate(DType.F32, N);
        be.fill(s, 3.0);
        be.recycle(s);
        Storage again = be.allocate(DType.F32, N);
        assertEquals(0.0, be.download(again)[N - 1]);
        assertEquals(0.0, be.download(again)[0]);
        Storage fresh = be.allocate(DType.F32, N);
        assertNotSame(again, fresh);
    }
}
