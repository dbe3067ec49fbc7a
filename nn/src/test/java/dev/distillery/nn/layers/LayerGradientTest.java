package dev.distillery.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Checks;
import dev.distillery.nn.Init;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;
import dev.distillery.autograd.ScalarBackendExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every layer's gradients (input: first and second order; parameters: first order) in F64. */
@ExtendWith(ScalarBackendExtension.class)
class LayerGradientTest {
    private static final Init INIT = Init.of(DType.F64, 7);

    private static Tensor input(long key, int... dims) {
        return Tensor.randn(DType.F64, key, 0, dims);
    }

    private static <M extends Module & Layer> void check(M layer, Tensor x) {
        Checks.inputs(layer.toString(), v -> layer.forward(v.get(0)), x);
        Checks.parameters(layer.toString(), layer, () -> layer.forward(x), 6);
    }

    @Test
    void linear() {
        check(new Linear(3, 4, INIT), input(1, 2, 3));
        check(new Linear(3, 2, false, INIT), input(2, 2, 5, 3));
    }

    @Test
    void conv2dWithStridePaddingAndGroups() {
        check(new Conv2d(2, 3, 3, 1, 1, INIT), input(3, 1, 2, 4, 4));
        check(new Conv2d(4, 2, 3, 2, 1, 2, true, INIT), input(4, 1, 4, 5, 5));
    }

    @Test
    void norms() {
        check(new GroupNorm(2, 4, INIT), input(5, 2, 4, 2, 2));
        check(new LayerNorm(5, INIT), input(6, 3, 5));
    }

    @Test
    void activationsUpsampleAndSequential() {
        for (Activation.Kind k : Activation.Kind.values()) {
            Activation a = new Activation(k);
            Checks.inputs(k.name(), v -> a.forward(v.get(0)), input(7, 2, 3).add(0.05));
        }
        check(new Upsample(2), input(8, 1, 2, 2, 2));
        check(new Sequential(new Linear(3, 4, INIT), Activation.silu(), new Linear(4, 2, INIT)), input(9, 2, 3));
    }

    @Test
    void attentionOverImagesAndSequences() {
        check(new SelfAttention2d(4, 2, 2, INIT), input(10, 1, 4, 2, 2));
        check(new MultiHeadAttention(4, 2, INIT), input(11, 2, 3, 4));
    }

    @Test
    void embeddingsOfTime() {
        SinusoidalEmbedding s = new SinusoidalEmbedding(6);
        Checks.inputs("sinusoidal", v -> s.forward(v.get(0)), input(12, 3));
        FourierFeatures f = new FourierFeatures(4, 1.0, INIT);
        Checks.inputs("fourier", v -> f.forward(v.get(0)), input(13, 3));
    }

    @Test
    void embeddingTableGradientScattersIntoLookedUpRows() {
        Embedding e = new Embedding(3, 2, true, INIT);
        int[] ids = {0, 3, 0};
        Checks.parameters("embedding", e, () -> e.forward(ids), 8);
        assertEquals(3, e.nullIndex());
    }

    @Test
    void dropoutIsDeterministicGivenTheKeyAndOffInEval() {
        Dropout d = new Dropout(0.5);
        Tensor x = Tensor.ones(DType.F64, 4, 8);
        var key = dev.distillery.autograd.random.RngKey.of(3);
        double[] a = d.forward(x, key).toDoubleArray();
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(d.forward(x, key).toDoubleArray()));
        for (double v : a) {
            assertTrue(v == 0.0 || v == 2.0, "kept values are scaled by 1 / (1 - p)");
        }
        d.eval();
        assertEquals(x, d.forward(x, null));
    }

    @Test
    void shapeErrorsNameTheLayer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Linear(130, 256, INIT).forward(input(1, 4, 3)));
        assertTrue(e.getMessage().startsWith(
                "Linear(130 -> 256): input has 3 features in its last dimension, expected 130"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 8, 3, 1, 1, INIT).forward(input(1, 1, 1, 4, 4)));
        assertTrue(e.getMessage().startsWith("Conv2d(3 -> 8, 3x3): input of shape [1, 1, 4, 4] has 1 channels, expected 3"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GroupNorm(8, 32, INIT).forward(input(1, 1, 16, 2, 2)));
        assertTrue(e.getMessage().startsWith("GroupNorm(8, 32)"), e.getMessage());
    }
}
