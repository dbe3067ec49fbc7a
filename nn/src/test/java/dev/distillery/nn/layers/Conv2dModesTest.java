package dev.distillery.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.autograd.Shape;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Checks;
import dev.distillery.nn.Init;
import dev.distillery.nn.layers.Conv2d.PaddingMode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Conv2d's dilation and padding modes as PyTorch's. */
@ExtendWith(ScalarBackendExtension.class)
class Conv2dModesTest {
    private static final Init INIT = Init.of(DType.F64, 13);
    /** [[1, 2, 3], [4, 5, 6], [7, 8, 9]]. */
    private static final double[] X = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    /** A 1x1 identity kernel shows the padded input itself. */
    private static double[] padded(PaddingMode mode) {
        Conv2d c = new Conv2d(1, 1, 1, 1, 1, 1, 1, false, mode, INIT);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            c.weight().assign(Tensor.of(new double[] {1}, 1, 1, 1, 1));
        }
        Tensor y = c.forward(Tensor.of(X, 1, 1, 3, 3));
        assertEquals(Shape.of(1, 1, 5, 5), y.shape());
        return y.toDoubleArray();
    }

    @Test
    void paddingModesReadTheirSourceRowsAndColumns() {
        // indices for positions -1..3: reflect 1 0 1 2 1, replicate 0 0 1 2 2, circular 2 0 1 2 0, zeros -
        assertArrayEquals(new double[] {5, 4, 5, 6, 5, 2, 1, 2, 3, 2, 5, 4, 5, 6, 5, 8, 7, 8, 9, 8, 5, 4, 5, 6, 5},
                padded(PaddingMode.REFLECT), 0);
        assertArrayEquals(new double[] {1, 1, 2, 3, 3, 1, 1, 2, 3, 3, 4, 4, 5, 6, 6, 7, 7, 8, 9, 9, 7, 7, 8, 9, 9},
                padded(PaddingMode.REPLICATE), 0);
        assertArrayEquals(new double[] {9, 7, 8, 9, 7, 3, 1, 2, 3, 1, 6, 4, 5, 6, 4, 9, 7, 8, 9, 7, 3, 1, 2, 3, 1},
                padded(PaddingMode.CIRCULAR), 0);
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 7, 8, 9, 0, 0, 0, 0, 0, 0},
                padded(PaddingMode.ZEROS), 0);
    }

    @Test
    void dilationSpreadsTheTaps() {
        // kernel 2, dilation 2 on 3x3: the taps are the corners, 1 1 + 3 10 + 7 100 + 9 1000 = 9731
        Conv2d c = new Conv2d(1, 1, 2, 1, 0, 2, 1, false, PaddingMode.ZEROS, INIT);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            c.weight().assign(Tensor.of(new double[] {1, 10, 100, 1000}, 1, 1, 2, 2));
        }
        Tensor y = c.forward(Tensor.of(X, 1, 1, 3, 3));
        assertEquals(Shape.of(1, 1, 1, 1), y.shape());
        assertEquals(9731, y.item(), 0);
        // H_out = floor((5 + 2 - 2 (3 - 1) - 1) / 2) + 1 = 2
        assertEquals(Shape.of(1, 2, 2, 2), new Conv2d(1, 2, 3, 2, 1, 2, 1, true, PaddingMode.ZEROS, INIT)
                .forward(Tensor.zeros(DType.F64, 1, 1, 5, 5)).shape());
    }

    @Test
    void gradientsFirstAndSecondOrder() {
        for (PaddingMode mode : PaddingMode.values()) {
            Conv2d c = new Conv2d(4, 2, 3, 2, 2, 2, 2, true, mode, INIT);
            Tensor x = Tensor.randn(DType.F64, 51, 0, 1, 4, 5, 4);
            Checks.inputs(c.toString(), v -> c.forward(v.get(0)), x);
            Checks.parameters(c.toString(), c, () -> c.forward(x), 4);
        }
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 1, 3, 1, 3, 1, 1, true, PaddingMode.REFLECT, INIT)
                .forward(Tensor.zeros(DType.F64, 1, 1, 3, 3)));
    }
}
