package dev.distillery.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.simd.SimdBackend;
import org.junit.jupiter.api.Test;

/** The cached constant path gives the same bits as the composed ops (the path taken when t needs grad). */
class SinusoidalEmbeddingCacheTest {

    @Test
    void constantPathEqualsComposedOpsBitForBit() {
        check();
        try (var scope = Backends.use(new SimdBackend(1))) {
            check();
        }
    }

    private static void check() {
        for (DType dt : DType.values()) {
            SinusoidalEmbedding s = new SinusoidalEmbedding(128);
            double[] t = {0, 1, 2, 999, 500, 1, 0.5, 123.25, 999};
            for (int round = 0; round < 2; round++) {
                double[] fast = s.forward(Tensor.of(dt, t, t.length)).toDoubleArray();
                double[] ref = s.forward(Tensor.of(dt, t, t.length).requiresGrad(true)).toDoubleArray();
                assertArrayEquals(ref, fast, 0.0, dt + " round " + round);
            }
        }
    }
}
