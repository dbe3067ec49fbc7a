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

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** ConvTranspose2d as PyTorch's: known scatters, the adjoint of Conv2d, gradients. */
@ExtendWith(ScalarBackendExtension.class)
class ConvTranspose2dTest {
    private static final Init INIT = Init.of(DType.F64, 11);

    /** x = [[1, 2], [3, 4]], W = [[1, 10], [100, 1000]], no bias. */
    private static Tensor run(int stride, int padding, int outputPadding) {
        ConvTranspose2d t = new ConvTranspose2d(1, 1, 2, stride, padding, outputPadding, 1, false, INIT);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            t.weight().assign(Tensor.of(new double[] {1, 10, 100, 1000}, 1, 1, 2, 2));
        }
        return t.forward(Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2));
    }

    @Test
    void strideTwoPlacesOneScaledKernelPerPixel() {
        // H_out = (2 - 1) 2 + 2 = 4: block (i, j) is x[i, j] W
        Tensor y = run(2, 0, 0);
        assertEquals(Shape.of(1, 1, 4, 4), y.shape());
        assertArrayEquals(new double[] {1, 10, 2, 20, 100, 1000, 200, 2000, 3, 30, 4, 40, 300, 3000, 400, 4000},
                y.toDoubleArray(), 0);
    }

    @Test
    void strideOneIsTheFullConvolution() {
        // y[a, b] = sum x[i, j] W[a - i, b - j]: y01 = 1 10 + 2 1, y11 = 1 1000 + 2 100 + 3 10 + 4 1, ...
        assertArrayEquals(new double[] {1, 12, 20, 103, 1234, 2040, 300, 3400, 4000}, run(1, 0, 0).toDoubleArray(), 0);
    }

    @Test
    void paddingCropsAndOutputPaddingExtends() {
        // stride 2, padding 1, output_padding 1: H_out = 2 - 2 + 2 + 1 = 3, rows and columns 1..3 of the 4x4 above
        Tensor y = run(2, 1, 1);
        assertEquals(Shape.of(1, 1, 3, 3), y.shape());
        assertArrayEquals(new double[] {1000, 200, 2000, 30, 4, 40, 3000, 400, 4000}, y.toDoubleArray(), 0);
        // padding 2 > k - 1 crops into the scattered blocks: H_out = 2 - 4 + 2 + 1 = 1, element (2, 2) of the 4x4
        Tensor cropped = run(2, 2, 1);
        assertEquals(Shape.of(1, 1, 1, 1), cropped.shape());
        assertEquals(4, cropped.item(), 0);
    }

    @Test
    void isTheAdjointOfConv2dWithTheSameWeightAndGroups() {
        // <conv(x), y> = <x, convT(y)> with Conv2d(4 -> 2, 3x3, stride 2, padding 1, groups 2) and
        // ConvTranspose2d(2 -> 4, ...) sharing the weight [2, 2, 3, 3]; 5x5 -> 3x3 -> 5x5
        Conv2d conv = new Conv2d(4, 2, 3, 2, 1, 2, false, INIT);
        ConvTranspose2d t = new ConvTranspose2d(2, 4, 3, 2, 1, 0, 2, false, INIT);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            t.weight().assign(conv.weight());
        }
        Tensor x = Tensor.randn(DType.F64, 1, 0, 2, 4, 5, 5);
        Tensor y = Tensor.randn(DType.F64, 2, 0, 2, 2, 3, 3);
        double left = conv.forward(x).mul(y).sum().item();
        Tensor back = t.forward(y);
        assertEquals(x.shape(), back.shape());
        assertEquals(left, x.mul(back).sum().item(), 1e-12);
    }

    @Test
    void gradientsFirstAndSecondOrder() {
        ConvTranspose2d t = new ConvTranspose2d(4, 2, 3, 2, 1, 1, 2, true, INIT);
        Tensor x = Tensor.randn(DType.F64, 3, 0, 1, 4, 3, 2);
        Checks.inputs(t.toString(), v -> t.forward(v.get(0)), x);
        Checks.parameters(t.toString(), t, () -> t.forward(x), 6);
        assertEquals(List.of("weight", "bias"), List.copyOf(t.stateDict().keySet()));
        assertEquals(Shape.of(4, 1, 3, 3), t.weight().shape());
        assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(2, 2, 3, 2, 1, 2, 1, true, INIT));
    }
}
