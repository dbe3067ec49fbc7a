package dev.distillery.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.nn.layers.Linear;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** EMA: the warm-up decay rule, the average itself, and swapping values in and out. */
@ExtendWith(ScalarBackendExtension.class)
class EmaTest {

    @Test
    void warmupDecayIsMinOfDecayAndOnePlusTOverTenPlusT() {
        Ema ema = new Ema(new Linear(1, 1, Init.of(DType.F64, 0)), 0.999, true);
        assertEquals(0.1, ema.decayAt(0), 1e-15);
        assertEquals(2.0 / 11.0, ema.decayAt(1), 1e-15);
        assertEquals(0.999, ema.decayAt(1_000_000), 0);
        assertEquals(0.999, new Ema(new Linear(1, 1, Init.of(DType.F64, 0)), 0.999, false).decayAt(0), 0);
    }

    @Test
    void averageFollowsTheRecursionAndSwapsRestoreTheLiveValues() {
        Linear lin = new Linear(1, 1, false, Init.of(DType.F64, 0));
        set(lin, 1.0);
        Ema ema = new Ema(lin, 0.5, false);
        set(lin, 3.0);
        ema.update(lin);                  // 0.5 * 1 + 0.5 * 3 = 2
        set(lin, 4.0);
        ema.update(lin);                  // 0.5 * 2 + 0.5 * 4 = 3
        assertArrayEquals(new double[] {3.0}, ema.model().parameters().get(0).toDoubleArray(), 0);
        assertFalse(ema.model().parameters().get(0).requiresGrad());
        ema.swapIn(lin);
        assertArrayEquals(new double[] {3.0}, lin.weight().toDoubleArray(), 0);
        ema.swapOut(lin);
        assertArrayEquals(new double[] {4.0}, lin.weight().toDoubleArray(), 0);
    }

    private static void set(Linear lin, double v) {
        try (var s = Autograd.noGrad()) {
            lin.weight().assign(Tensor.full(DType.F64, v, 1, 1));
        }
    }
}
