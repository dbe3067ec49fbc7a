package dev.distillery.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.autograd.Shape;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Checks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Upsample's bilinear and non-integer nearest modes, as PyTorch's F.interpolate with a scale factor. */
@ExtendWith(ScalarBackendExtension.class)
class UpsampleTest {
    @Test
    void bilinearDoublingWithoutAlignedCorners() {
        // per axis [a, b] -> u = (i + 1/2) / 2 - 1/2 = -1/4 (clamped to 0), 1/4, 3/4, 5/4 (i0 = i1 = 1):
        // [a, 3a/4 + b/4, a/4 + 3b/4, b]. Rows of [[0, 1], [2, 3]]: [0, 1], [.5, 1.5], [1.5, 2.5], [2, 3], then columns.
        Tensor y = new Upsample(2.0, Upsample.Mode.BILINEAR, false).forward(Tensor.of(new double[] {0, 1, 2, 3}, 1, 1, 2, 2));
        assertEquals(Shape.of(1, 1, 4, 4), y.shape());
        assertArrayEquals(new double[] {0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3},
                y.toDoubleArray(), 0);
    }

    @Test
    void bilinearWithAlignedCornersKeepsTheCorners() {
        // W: 2 -> 4, u = i (2 - 1) / (4 - 1) = 0, 1/3, 2/3, 1 on [0, 3]: 0, 1, 2, 3; H: 1 -> 2 repeats the row
        Tensor y = new Upsample(2.0, Upsample.Mode.BILINEAR, true).forward(Tensor.of(new double[] {0, 3}, 1, 1, 1, 2));
        assertArrayEquals(new double[] {0, 1, 2, 3, 0, 1, 2, 3}, y.toDoubleArray(), 1e-15);
    }

    @Test
    void nonIntegerFactors() {
        // factor 1.5, 2 -> 3: nearest takes floor(i / 1.5) = 0, 0, 1; bilinear u = -1/6 -> 0, 1/2, 7/6 -> [a, (a + b)/2, b]
        Tensor x = Tensor.of(new double[] {4, 8}, 1, 1, 1, 2);
        Tensor nearest = new Upsample(1.5, Upsample.Mode.NEAREST, false).forward(x);
        assertEquals(Shape.of(1, 1, 1, 3), nearest.shape());
        assertArrayEquals(new double[] {4, 4, 8}, nearest.toDoubleArray(), 0);
        assertArrayEquals(new double[] {4, 6, 8}, new Upsample(1.5, Upsample.Mode.BILINEAR, false).forward(x).toDoubleArray(), 0);
        // factor 1/2 halves: bilinear u = (i + 1/2) 2 - 1/2 = 1/2, 5/2 averages neighbours
        // (both rows equal, and the one output row is their average)
        Tensor half = new Upsample(0.5, Upsample.Mode.BILINEAR, false).forward(
                Tensor.of(new double[] {0, 2, 4, 6, 0, 2, 4, 6}, 1, 1, 2, 4));
        assertEquals(Shape.of(1, 1, 1, 2), half.shape());
        assertArrayEquals(new double[] {1, 5}, half.toDoubleArray(), 0);
    }

    @Test
    void gradientsFirstAndSecondOrder() {
        for (Upsample u : new Upsample[] {new Upsample(1.5, Upsample.Mode.BILINEAR, false),
            new Upsample(2.5, Upsample.Mode.BILINEAR, true), new Upsample(1.5, Upsample.Mode.NEAREST, false)}) {
            Checks.inputs(u.toString(), v -> u.forward(v.get(0)), Tensor.randn(DType.F64, 41, 0, 1, 2, 3, 2));
        }
        assertThrows(IllegalArgumentException.class, () -> new Upsample(2.0, Upsample.Mode.NEAREST, true));
    }
}
