package dev.distillery.nn;

import dev.distillery.autograd.ScalarBackendExtension;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.layers.Dropout;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.MlpDenoiser;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Module contract: names, state dicts, copies, freezing, modes, reproducible initialisation. */
@ExtendWith(ScalarBackendExtension.class)
class ModuleTest {
    private static MlpDenoiser small(long seed) {
        return MlpConfig.w2().withWidth(8).withTimeDim(4).withDtype(DType.F64).withSeed(seed).build();
    }

    @Test
    void sameSeedSameValuesDifferentSeedDifferentValues() {
        assertArrayEquals(small(1).parameters().get(0).toDoubleArray(), small(1).parameters().get(0).toDoubleArray());
        assertFalse(java.util.Arrays.equals(small(1).parameters().get(0).toDoubleArray(),
                small(2).parameters().get(0).toDoubleArray()));
    }

    @Test
    void linearInitIsUniformWithinOneOverSqrtFanIn() {
        MlpDenoiser net = MlpConfig.w2().build();
        double bound = 1 / Math.sqrt(130);
        double[] w = net.namedParameters().get("0.weight").toDoubleArray();
        double max = 0;
        double mean = 0;
        for (double v : w) {
            max = Math.max(max, Math.abs(v));
            mean += v / w.length;
        }
        assertTrue(max <= bound && max > 0.99 * bound, "max |w| " + max + " vs bound " + bound);
        assertEquals(0, mean, 4 * bound / Math.sqrt(3 * w.length));   // 4 standard errors of U(-b, b)
    }

    /** One F32 parameter and one F32 counter buffer, as a BatchNorm's weight and num_batches_tracked. */
    private static final class Counted extends Module {
        Counted() {
            registerParameter("weight", Tensor.of(new float[] {1f, 2f}, 2));
            registerBuffer("num_batches_tracked", Tensor.of(new float[] {0f}));
        }

        @Override
        protected Module rebuild() {
            return new Counted();
        }
    }

    @Test
    void dtypesConvertOnRequestAndCountersAlways() {
        Counted m = new Counted();
        Map<String, Tensor> f64 = new java.util.LinkedHashMap<>();
        f64.put("weight", Tensor.of(new double[] {0.1, 3.0}, 2));
        f64.put("num_batches_tracked", Tensor.of(new double[] {12345.0}));   // an I64 file loads as F64
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(f64, true));
        assertTrue(e.getMessage().contains("dtype mismatch [weight (expected F32, got F64)]")
                && e.getMessage().contains("loadStateDict(state, strict, true) converts dtypes"), e.getMessage());
        assertFalse(e.getMessage().contains("num_batches_tracked"), "an exactly convertible buffer is no mismatch");
        m.loadStateDict(f64, true, true);
        assertArrayEquals(new double[] {(float) 0.1, 3.0}, m.stateDict().get("weight").toDoubleArray(), 0.0);
        assertEquals(12345.0, m.stateDict().get("num_batches_tracked").item(), 0.0);
        f64.put("weight", Tensor.of(new double[] {0.5, 3.0}, 2).to(DType.F32));
        m.loadStateDict(f64, true);                                           // only the counter differs in dtype
        f64.put("num_batches_tracked", Tensor.of(new double[] {(1 << 24) + 1}));
        assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(f64, true), "not exact in F32");
    }

    @Test
    void copyIsDeepAndEqual() {
        MlpDenoiser a = small(1);
        MlpDenoiser b = a.copy();
        Map<String, Tensor> sa = a.stateDict();
        Map<String, Tensor> sb = b.stateDict();
        assertEquals(sa.keySet(), sb.keySet());
        sa.forEach((k, v) -> {
            assertArrayEquals(v.toDoubleArray(), sb.get(k).toDoubleArray(), k);
            assertNotSame(v.storage(), sb.get(k).storage(), k);
        });
        try (var s = Autograd.noGrad()) {
            Tensor w = a.namedParameters().get("0.weight");
            w.assign(w.mul(2.0));
        }
        assertFalse(java.util.Arrays.equals(sa.get("0.weight").toDoubleArray(), sb.get("0.weight").toDoubleArray()));
    }

    @Test
    void freezeStopsParameterGradientsButNotInputGradients() {
        MlpDenoiser net = small(1);
        net.freeze();
        assertTrue(net.parameters().stream().noneMatch(Tensor::requiresGrad));
        Tensor x = Tensor.randn(DType.F64, 1, 0, 3, 2).requiresGrad(true);
        Tensor y = net.forward(x, Tensor.of(new double[] {1, 2, 3}, 3)).sum();
        Tensor g = Autograd.grad(List.of(y), List.of(x), null, false).get(0);
        assertEquals(6, g.numel());
        MlpDenoiser copy = net.copy();
        assertTrue(copy.isFrozen() && copy.parameters().stream().noneMatch(Tensor::requiresGrad));
        net.unfreeze();
        assertTrue(net.parameters().stream().allMatch(Tensor::requiresGrad));
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        MlpDenoiser net = small(1);
        net.eval();
        assertTrue(net.children().values().stream().noneMatch(Module::isTraining));
        net.train();
        assertTrue(net.children().values().stream().allMatch(Module::isTraining));
        assertFalse(new Dropout(0.1).eval().isTraining());
    }

    @Test
    void loadStateDictListsEveryDifference() {
        MlpDenoiser net = small(1);
        Map<String, Tensor> sd = new LinkedHashMap<>(net.stateDict());
        sd.remove("0.bias");
        sd.put("9.weight", Tensor.zeros(DType.F64, 1));
        sd.put("2.weight", Tensor.zeros(DType.F64, 3, 3));
        sd.put("6.bias", Tensor.zeros(DType.F32, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(sd, true));
        String m = e.getMessage();
        assertTrue(m.contains("missing [0.bias]"), m);
        assertTrue(m.contains("unexpected [9.weight]"), m);
        assertTrue(m.contains("shape mismatch [2.weight (expected [8, 8], got [3, 3])]"), m);
        assertTrue(m.contains("dtype mismatch [6.bias (expected F64, got F32)]"), m);
        Map<String, Tensor> partial = new LinkedHashMap<>(small(2).stateDict());
        partial.remove("0.bias");
        net.loadStateDict(partial, false);                 // non-strict: names may differ
        assertArrayEquals(partial.get("0.weight").toDoubleArray(), net.namedParameters().get("0.weight").toDoubleArray());
    }
}
