package dev.distillery.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Creation, access, conversion and printing. */
class TensorTest {
    private Backends.Scope scope;

    @BeforeEach
    void useOracle() {
        scope = Backends.use(Backends.scalar());
    }

    @AfterEach
    void restore() {
        scope.close();
    }

    @Test
    void creationFunctions() {
        assertArrayEquals(new double[] {0, 0, 0, 0}, Tensor.zeros(DType.F32, 2, 2).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 1, 1}, Tensor.ones(DType.F64, 3).toDoubleArray(), 0);
        assertArrayEquals(new double[] {7, 7}, Tensor.full(DType.F64, 7, 2).toDoubleArray(), 0);
        assertArrayEquals(new double[] {0, 0.5, 1, 1.5}, Tensor.arange(DType.F64, 0, 2, 0.5).toDoubleArray(), 0);
        assertArrayEquals(new double[] {-1, 0, 1}, Tensor.linspace(DType.F32, -1, 1, 3).toDoubleArray(), 0);
        assertEquals(2.5, Tensor.scalar(2.5, DType.F64).item(), 0);
        assertArrayEquals(new double[] {0, 1, 1, 0}, Tensor.oneHot(new int[] {1, 0}, 2, DType.F64).toDoubleArray(), 0);
    }

    @Test
    void elementAccessIsRowMajor() {
        Tensor t = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(6, t.get(1, 2), 0);
        assertEquals(2, t.get(0, 1), 0);
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0));
    }

    @Test
    void dtypeConversionRounds() {
        Tensor t = Tensor.of(new double[] {0.1}, 1);
        assertEquals((double) 0.1f, t.to(DType.F32).item(), 0);
        assertEquals(DType.F32, t.to(DType.F32).dtype());
    }

    @Test
    void dataMustFitShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new double[] {1, 2, 3}, 2, 2));
        assertTrue(e.getMessage().contains("[2, 2]"), e.getMessage());
    }

    @Test
    void toStringIsReadable() {
        String s = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).toString();
        assertEquals("tensor([[1.0, 2.0],\n        [3.0, 4.0]], shape=[2, 2], dtype=F64)", s);
        String big = Tensor.zeros(DType.F32, 2000).toString();
        assertTrue(big.contains("...") && big.length() < 200, big);
    }

    @Test
    void randomTensorsAreReproducibleAndIndependentOfShape() {
        Tensor a = Tensor.randn(DType.F64, 9, 0, 6);
        Tensor b = Tensor.randn(DType.F64, 9, 0, 2, 3);
        assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), 0);
        Tensor tail = Tensor.randn(DType.F64, 9, 2, 4);
        assertEquals(a.toDoubleArray()[2], tail.toDoubleArray()[0], 0);
    }

    @Test
    void assignUpdatesInPlace() {
        Tensor p = Tensor.zeros(DType.F64, 2).requiresGrad(true);
        try (var s = Autograd.noGrad()) {
            p.assign(Tensor.of(new double[] {1, 2}, 2));
        }
        assertArrayEquals(new double[] {1, 2}, p.toDoubleArray(), 0);
        assertThrows(IllegalArgumentException.class, () -> p.assign(Tensor.zeros(DType.F64, 3)));
    }

    @Test
    void erfMatchesKnownValues() {
        // Abramowitz & Stegun table 7.1 values to 15 digits
        Tensor x = Tensor.of(new double[] {0.0, 0.5, 1.0, 2.0, 3.5, -1.0}, 6);
        double[] expected = {0.0, 0.520499877813047, 0.842700792949715, 0.995322265018953, 0.999999256901628,
                -0.842700792949715};
        assertArrayEquals(expected, x.erf().toDoubleArray(), 2e-15);
    }
}
