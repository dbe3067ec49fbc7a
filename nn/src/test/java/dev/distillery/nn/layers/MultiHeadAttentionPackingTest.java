package dev.distillery.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** nn.MultiheadAttention's packed in_proj_weight split into q, k, v and packed back. */
@ExtendWith(ScalarBackendExtension.class)
class MultiHeadAttentionPackingTest {
    /** D = 2: in_proj_weight [6, 2] holds 0..11 row by row, in_proj_bias 100..105, out_proj 20..23 and 30, 31. */
    private static Map<String, Tensor> packed() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("in_proj_weight", Tensor.arange(DType.F64, 0, 12, 1).reshape(6, 2));
        m.put("in_proj_bias", Tensor.arange(DType.F64, 100, 106, 1));
        m.put("out_proj.weight", Tensor.arange(DType.F64, 20, 24, 1).reshape(2, 2));
        m.put("out_proj.bias", Tensor.of(new double[] {30, 31}, 2));
        return m;
    }

    @Test
    void rowsZeroToDAreTheQueryThenKeyThenValue() {
        MultiHeadAttention mha = new MultiHeadAttention(2, 1, Init.of(DType.F64, 1));
        mha.loadPyTorchStateDict(packed());
        Map<String, Tensor> sd = mha.stateDict();
        assertArrayEquals(new double[] {0, 1, 2, 3}, sd.get("q.weight").toDoubleArray(), 0);
        assertArrayEquals(new double[] {4, 5, 6, 7}, sd.get("k.weight").toDoubleArray(), 0);
        assertArrayEquals(new double[] {8, 9, 10, 11}, sd.get("v.weight").toDoubleArray(), 0);
        assertArrayEquals(new double[] {100, 101}, sd.get("q.bias").toDoubleArray(), 0);
        assertArrayEquals(new double[] {102, 103}, sd.get("k.bias").toDoubleArray(), 0);
        assertArrayEquals(new double[] {104, 105}, sd.get("v.bias").toDoubleArray(), 0);
        assertArrayEquals(new double[] {20, 21, 22, 23}, sd.get("o.weight").toDoubleArray(), 0);
        assertArrayEquals(new double[] {30, 31}, sd.get("o.bias").toDoubleArray(), 0);
        Map<String, Tensor> back = mha.toPyTorchStateDict();
        assertEquals(MultiHeadAttention.PYTORCH_NAMES, List.copyOf(back.keySet()));
        packed().forEach((k, t) -> {
            assertEquals(t.shape(), back.get(k).shape(), k);
            assertArrayEquals(t.toDoubleArray(), back.get(k).toDoubleArray(), 0, k);
        });
    }

    @Test
    void unsupportedLayoutsAreRefusedByName() {
        Map<String, Tensor> kv = packed();
        kv.put("bias_k", Tensor.zeros(DType.F64, 1, 1, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MultiHeadAttention.fromPyTorchStateDict(kv));
        assertTrue(e.getMessage().contains("bias_k"), e.getMessage());
        Map<String, Tensor> wrong = packed();
        wrong.put("in_proj_weight", Tensor.zeros(DType.F64, 4, 2));
        e = assertThrows(IllegalArgumentException.class, () -> MultiHeadAttention.fromPyTorchStateDict(wrong));
        assertTrue(e.getMessage().contains("[3E, E]"), e.getMessage());
    }
}
