package dev.distillery.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.autograd.Shape;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Checks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** MaxPool2d as PyTorch's: windows, -inf padding, output size, gradient to the maxima. */
@ExtendWith(ScalarBackendExtension.class)
class MaxPool2dTest {
    /*
     *    3  -1   0   8
     *    2   5  -4   1
     *   -6   7   9  -2
     *    4  -3  10  -5
     */
    private static final double[] X = {3, -1, 0, 8, 2, 5, -4, 1, -6, 7, 9, -2, 4, -3, 10, -5};

    private static Tensor x(double shift) {
        return Tensor.of(X, 1, 1, 4, 4).add(shift);
    }

    @Test
    void defaultStrideIsTheKernel() {
        // 2x2 blocks: {3, -1, 2, 5} -> 5, {0, 8, -4, 1} -> 8, {-6, 7, 4, -3} -> 7, {9, -2, 10, -5} -> 10
        Tensor y = new MaxPool2d(2).forward(x(0));
        assertEquals(Shape.of(1, 1, 2, 2), y.shape());
        assertArrayEquals(new double[] {5, 8, 7, 10}, y.toDoubleArray(), 0);
    }

    @Test
    void paddingCountsAsMinusInfinity() {
        // kernel 3, stride 2, padding 1: H_out = floor((4 + 2 - 3) / 2) + 1 = 2; window (i, j) covers rows and
        // columns 2i-1..2i+1: (0,0) {3,-1,2,5} -> 5; (0,1) rows 0..1 cols 1..3 -> 8; (1,0) rows 1..3 cols 0..1 -> 7;
        // (1,1) rows 1..3 cols 1..3 -> 10. Shifted by -20 the answers shift too: zero padding would give 0 at corners.
        MaxPool2d pool = new MaxPool2d(3, 2, 1);
        assertArrayEquals(new double[] {5, 8, 7, 10}, pool.forward(x(0)).toDoubleArray(), 0);
        assertArrayEquals(new double[] {-15, -12, -13, -10}, pool.forward(x(-20)).toDoubleArray(), 0);
        assertEquals(Shape.of(2, 3, 3, 2), pool.forward(Tensor.zeros(DType.F64, 2, 3, 5, 4)).shape());
    }

    @Test
    void theGradientGoesToEachWindowsMaximum() {
        // with stride 1, kernel 3, padding 1 (same size), count how many windows each element wins:
        // 10 at (3,2) wins the windows centred at (2,1) (2,2) (2,3) (3,1) (3,2) (3,3) = 6;
        // 9 at (2,2) wins (1,1) (1,2) (1,3) = 3 (window (1,3) covers rows 0..2, cols 2..3: {0,8,-4,1,9,-2} -> 9);
        // 8 at (0,3) wins (0,2) (0,3) = 2; 7 at (2,1) wins (1,0) (2,0) (3,0) = 3; 5 at (1,1) wins (0,0) (0,1) = 2.
        Tensor in = x(0).requiresGrad(true);
        new MaxPool2d(3, 1, 1).forward(in).sum().backward();
        assertArrayEquals(new double[] {0, 0, 0, 2, 0, 2, 0, 0, 0, 3, 3, 0, 0, 0, 6, 0}, in.grad().toDoubleArray(), 0);
    }

    @Test
    void gradcheckFirstAndSecondOrder() {
        MaxPool2d pool = new MaxPool2d(3, 2, 1);
        Checks.inputs(pool.toString(), v -> pool.forward(v.get(0)), Tensor.randn(DType.F64, 31, 0, 2, 2, 5, 4));
        MaxPool2d plain = new MaxPool2d(2);
        Checks.inputs(plain.toString(), v -> plain.forward(v.get(0)), Tensor.randn(DType.F64, 32, 0, 1, 2, 4, 4));
    }

    @Test
    void paddingBeyondHalfTheKernelIsRefusedAsInTorch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 2));
        assertTrue(e.getMessage().contains("padding must be between 0 and half the kernel"), e.getMessage());
        assertTrue(new MaxPool2d(2).stateDict().isEmpty());
    }
}
