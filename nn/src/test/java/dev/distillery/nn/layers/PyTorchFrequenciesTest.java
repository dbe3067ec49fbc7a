package dev.distillery.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import org.junit.jupiter.api.Test;

/**
 * F32 timestep frequencies equal PyTorch's bit for bit. The expected values are torch 1.13's
 * {@code torch.exp(-math.log(10000.0) * torch.arange(64, dtype=torch.float32) / 64)} at three of
 * the eight indices where it differs from the correctly rounded exp (one ulp).
 */
class PyTorchFrequenciesTest {

    @Test
    void float32FrequenciesAreTorchsBits() {
        double[] f = SinusoidalEmbedding.frequencies(64, 10000.0, DType.F32);
        assertEquals(0x3ebaf81a, Float.floatToIntBits((float) f[7]));      // correctly rounded: 0.36517414450645447
        assertEquals(0.1539926528930664, f[13], 0.0);                       // correctly rounded: 0.1539926379919052
        assertEquals(0.0003162277862429619, f[56], 0.0);                    // correctly rounded: 0.00031622781534679234
        assertEquals(1.0, f[0], 0.0);
    }

    @Test
    void torchsExpIsWithinOneUlpOfTheCorrectlyRoundedOne() {
        for (float x = -20f; x <= 20f; x += 0.01f) {
            float ours = PyTorchExpF32.exp(x);
            float exact = (float) Math.exp(x);
            assertTrue(Math.abs(ours - exact) <= Math.ulp(exact), "exp(" + x + "): " + ours + " vs " + exact);
        }
        assertEquals(0f, PyTorchExpF32.exp(-200f));
        assertEquals(Float.POSITIVE_INFINITY, PyTorchExpF32.exp(200f));
    }
}
