package dev.distillery.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Pooled;
import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Checks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MaxPool2d against torch 1.13 in float64 (values printed by {@code docs/pytorch_layer_reference.py
 * maxpool}): dilation, rectangular kernel/stride/padding, ceil_mode, return_indices, PyTorch's
 * choice among equal maxima and NaN, and the input gradient. Forward values and indices are exact
 * copies, and the gradient sums at most a few upstream values per element in torch's order, so
 * everything matches bit for bit.
 */
@ExtendWith(ScalarBackendExtension.class)
class MaxPool2dTorchTest {
    static final double[] DILATED_Y = {-1.25, 1.0625, 2.125, 2.125, 0.0, 2.3125, 2.3125, 2.125, 0.0, 2.3125, 2.3125, -1.6875, 3.125, 3.125, 1.4375, 1.4375, 3.125, 3.125, 2.6875, 2.6875, 3.125, 3.125, 2.6875, 2.6875, 1.1875, 2.25, 2.25, -0.5, 2.4375, 2.4375, 2.25, 0.75, 2.4375, 2.4375, 0.75, 0.75, -0.75, 1.5625, 2.625, 2.625, 0.5, 2.8125, 2.8125, 2.625, 0.5, 2.8125, 2.8125, -1.1875};  // shape [2, 2, 3, 4]
    static final long[] DILATED_INDICES = {9, 10, 5, 5, 15, 16, 16, 5, 15, 16, 16, 17, 9, 9, 11, 11, 9, 9, 17, 17, 9, 9, 17, 17, 9, 4, 4, 11, 15, 15, 4, 17, 15, 15, 17, 17, 9, 10, 5, 5, 15, 16, 16, 5, 15, 16, 16, 17};
    static final double[] DILATED_GRAD = {0.0, 0.0, 0.0, 0.0, 0.0, -0.25, 0.0, 0.0, 0.0, -1.75, -0.125, 0.0, 0.0, 0.0, 0.0, 1.5, -1.75, 1.625, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.75, 0.0, 0.125, 0.0, 0.0, 0.0, 0.0, 0.0, -0.625, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, -1.375, 0.0, 0.0, 0.0, -0.875, 0.0, 1.375, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -2.375, 0.0, 0.0, 0.0, -1.25, 0.375, 0.0, 0.0, 0.0, 0.0, 2.5, 0.25, -1.5, 0.0, 0.0, 0.0};  // shape [2, 2, 7, 3]
    static final double[] TIES_Y = {2.0, 4.0, 4.0, 4.0, 3.0, 2.0, 4.0, 4.0, 4.0, 3.0, 2.0, 4.0, 4.0, 4.0, 3.0, 2.0, 4.0, 4.0, 4.0, 3.0, 2.0, 4.0, 4.0, 4.0, 3.0};  // shape [1, 1, 5, 5]
    static final long[] TIES_INDICES = {1, 2, 2, 2, 4, 1, 2, 2, 2, 4, 6, 7, 7, 7, 9, 11, 12, 12, 12, 14, 16, 17, 17, 17, 19};
    static final double[] TIES_GRAD = {0.0, 2.0, 6.0, 0.0, 2.0, 0.0, 1.0, 3.0, 0.0, 1.0, 0.0, 1.0, 3.0, 0.0, 1.0, 0.0, 1.0, 3.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0};  // shape [1, 1, 5, 5]
    static final double[] SPECIAL_Y = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 1.0, 3.0, 3.0, 2.0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 2.0, 2.0};  // shape [1, 1, 4, 4]
    static final long[] SPECIAL_INDICES = {0, 0, 2, 2, 0, 0, 2, 2, 3, 4, 4, 5, 6, 6, 8, 8};
    static final double[] SPECIAL3_Y = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 3.0, 3.0, 3.0};  // shape [1, 1, 3, 3]
    static final long[] SPECIAL3_INDICES = {0, 2, 2, 0, 2, 2, 4, 4, 4};
    static final double[] CEIL_Y = {-3.125, 1.5, -0.1875, 2.125, 0.4375, 2.75, 0.0, 2.3125, 2.9375};  // shape [1, 1, 3, 3]
    static final long[] CEIL_INDICES = {0, 2, 4, 5, 7, 8, 15, 16, 19};

    private static final MaxPool2d DILATED = new MaxPool2d(new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1},
            new int[] {2, 1}, true);

    @Test
    void dilatedRectangularCeilModeMatchesTorch() {
        Tensor x = TorchRef.ramp(2, 2, 7, 3).requiresGrad(true);
        Pooled p = DILATED.forwardWithIndices(x);
        TorchRef.close("y", DILATED_Y, p.output(), new int[] {2, 2, 3, 4}, 0);
        assertArrayEquals(DILATED_INDICES, p.flatIndices());
        Tensor r = Tensor.of(TorchRef.ramp(48, 13, 29, 14, 8.0), 2, 2, 3, 4);
        p.output().mul(r).sum().backward();
        TorchRef.close("grad x", DILATED_GRAD, x.grad(), new int[] {2, 2, 7, 3}, 0);
        assertEquals("MaxPool2d(3x2, stride 2x1, padding 1, dilation 2x1, ceil_mode)", DILATED.toString());
    }

    @Test
    void theSimdBackendGivesTheSameBits() {
        try (var s = Backends.use(Backends.create("simd", 2))) {
            Tensor x = TorchRef.ramp(2, 2, 7, 3).requiresGrad(true);
            Pooled p = DILATED.forwardWithIndices(x);
            assertArrayEquals(DILATED_INDICES, p.flatIndices());
            p.output().mul(Tensor.of(TorchRef.ramp(48, 13, 29, 14, 8.0), 2, 2, 3, 4)).sum().backward();
            TorchRef.close("y simd", DILATED_Y, p.output(), new int[] {2, 2, 3, 4}, 0);
            TorchRef.close("grad x simd", DILATED_GRAD, x.grad(), new int[] {2, 2, 7, 3}, 0);
        }
    }

    @Test
    void amongEqualMaximaTheFirstInRowMajorOrderTakesTheWholeGradient() {
        // x = (7 i) mod 5 on 5x5: every row is 0 2 4 1 3, so each column ties with itself vertically. The window
        // centred at (1, 1) (rows and columns 0..2) holds the maximum 4 at flat 2, 7 and 12: torch picks 2, the first
        // in its row-major scan, and gives it the window's whole gradient.
        double[] v = new double[25];
        for (int i = 0; i < 25; i++) {
            v[i] = (7 * i) % 5;
        }
        Tensor x = Tensor.of(v, 1, 1, 5, 5).requiresGrad(true);
        Pooled p = new MaxPool2d(3, 1, 1).forwardWithIndices(x);
        TorchRef.close("ties y", TIES_Y, p.output(), new int[] {1, 1, 5, 5}, 0);
        assertArrayEquals(TIES_INDICES, p.flatIndices());
        p.output().sum().backward();
        TorchRef.close("ties grad", TIES_GRAD, x.grad(), new int[] {1, 1, 5, 5}, 0);
    }

    @Test
    void nanIsTheMaximumAndAWindowOfMinusInfinityTakesItsFirstTap() {
        double n = Double.NaN, inf = Double.POSITIVE_INFINITY;
        Tensor x = Tensor.of(new double[] {n, 1, n, 1, 3, 2, -inf, -inf, 2}, 1, 1, 3, 3);
        Pooled p = new MaxPool2d(2, 1, 1).forwardWithIndices(x);
        TorchRef.close("special y", SPECIAL_Y, p.output(), new int[] {1, 1, 4, 4}, 0);
        assertArrayEquals(SPECIAL_INDICES, p.flatIndices());
        Pooled q = new MaxPool2d(3, 1, 1).forwardWithIndices(x);   // two NaNs in a window: the last one
        TorchRef.close("special y k3", SPECIAL3_Y, q.output(), new int[] {1, 1, 3, 3}, 0);
        assertArrayEquals(SPECIAL3_INDICES, q.flatIndices());
    }

    @Test
    void ceilModeDropsAWindowThatWouldStartInTheRightPadding() {
        // 5 + 2 - 1 - 1 + 1 = 6, ceil gives 6 / 2 + 1 = 4 windows, but the fourth would start at 6 - 1 = 5 >= 5
        Pooled p = new MaxPool2d(2, 2, 1, 1, true).forwardWithIndices(TorchRef.ramp(1, 1, 5, 5));
        TorchRef.close("ceil y", CEIL_Y, p.output(), new int[] {1, 1, 3, 3}, 0);
        assertArrayEquals(CEIL_INDICES, p.flatIndices());
    }

    @Test
    void gradcheckFirstAndSecondOrder() {
        Checks.inputs(DILATED.toString(), v -> DILATED.forward(v.get(0)), Tensor.randn(DType.F64, 33, 0, 1, 2, 7, 5));
        MaxPool2d ceil = new MaxPool2d(2, 2, 1, 1, true);
        Checks.inputs(ceil.toString(), v -> ceil.forward(v.get(0)), Tensor.randn(DType.F64, 34, 0, 2, 1, 5, 4));
    }

    @Test
    void impossibleGeometriesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d(3, 1, 0, 0, false));
        assertTrue(e.getMessage().contains("dilation must be positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(new int[] {2, 4}, null, new int[] {0, 3},
                new int[] {1, 1}, false));
        assertTrue(e.getMessage().contains("padding must be between 0 and half the kernel"), e.getMessage());
        // kernel 3 at dilation 3 spans 7 > 4 + 2
        e = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d(3, 1, 1, 3, false).forward(Tensor.zeros(DType.F64, 1, 1, 4, 4)));
        assertTrue(e.getMessage().contains("which is empty") && e.getMessage().contains("smaller kernel or dilation"),
                e.getMessage());
        // kernel 2, dilation 2, padding 1 on one row: the only window's taps are rows -1 and 1, both padding
        e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(new int[] {2, 1}, new int[] {1, 1},
                new int[] {1, 0}, new int[] {2, 1}, false).forward(Tensor.zeros(DType.F64, 1, 1, 1, 3)));
        assertTrue(e.getMessage().contains("covers no input row"), e.getMessage());
    }
}
