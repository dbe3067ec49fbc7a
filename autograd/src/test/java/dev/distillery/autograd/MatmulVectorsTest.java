package dev.distillery.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * torch.matmul's rank-1 cases, with known answers worked by hand. Their first- and second-order
 * gradchecks are the {@code matmul/vector-*} entries of {@link OpCatalog}.
 */
@ExtendWith(ScalarBackendExtension.class)
class MatmulVectorsTest {
    /** {@code [[1, 2, 3], [4, 5, 6]]}, made inside each test, on the oracle backend. */
    private static Tensor b23() {
        return Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    }

    @Test
    void vectorTimesMatrixIsTheRowProductWithTheRowDimensionRemoved() {
        // [1, 2] [[1, 2, 3], [4, 5, 6]] = [1 + 8, 2 + 10, 3 + 12]
        Tensor c = Tensor.of(new double[] {1, 2}, 2).matmul(b23());
        assertEquals(Shape.of(3), c.shape());
        assertArrayEquals(new double[] {9, 12, 15}, c.toDoubleArray(), 0);
    }

    @Test
    void matrixTimesVectorIsTheColumnProductWithTheColumnDimensionRemoved() {
        // [[1, 2, 3], [4, 5, 6]] [1, 0, -1] = [1 - 3, 4 - 6]
        Tensor c = b23().matmul(Tensor.of(new double[] {1, 0, -1}, 3));
        assertEquals(Shape.of(2), c.shape());
        assertArrayEquals(new double[] {-2, -2}, c.toDoubleArray(), 0);
    }

    @Test
    void twoVectorsGiveTheirDotProductOfRankZero() {
        // [1, 2, 3] . [4, 5, 6] = 4 + 10 + 18
        Tensor c = Tensor.of(new double[] {1, 2, 3}, 3).matmul(Tensor.of(new double[] {4, 5, 6}, 3));
        assertEquals(0, c.rank());
        assertEquals(32, c.item(), 0);
    }

    @Test
    void vectorsBroadcastAgainstBatches() {
        // batch 0 is B, batch 1 is -B: [1, 2] B = [9, 12, 15], and its negation
        Tensor batch = Tensor.stack(java.util.List.of(b23(), b23().neg()), 0);
        Tensor left = Tensor.of(new double[] {1, 2}, 2).matmul(batch);
        assertEquals(Shape.of(2, 3), left.shape());
        assertArrayEquals(new double[] {9, 12, 15, -9, -12, -15}, left.toDoubleArray(), 0);
        // [2, 3, 2] (B^T and -B^T) times [1, 1] = row sums of B^T = column sums of B: [5, 7, 9]
        Tensor right = batch.transpose(1, 2).matmul(Tensor.of(new double[] {1, 1}, 2));
        assertEquals(Shape.of(2, 3), right.shape());
        assertArrayEquals(new double[] {5, 7, 9, -5, -7, -9}, right.toDoubleArray(), 0);
    }

    @Test
    void gradientsHaveTheVectorsShape() {
        // d/da (a B).sum() = B 1 = [6, 15]; d/db (B b).sum() = B^T 1 = [5, 7, 9]
        Tensor a = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        a.matmul(b23()).sum().backward();
        assertArrayEquals(new double[] {6, 15}, a.grad().toDoubleArray(), 0);
        Tensor b = Tensor.of(new double[] {1, 0, -1}, 3).requiresGrad(true);
        b23().matmul(b).sum().backward();
        assertArrayEquals(new double[] {5, 7, 9}, b.grad().toDoubleArray(), 0);
    }

    @Test
    void mismatchedAndTransposedVectorsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new double[] {1, 2, 3}, 3).matmul(b23()));
        assertTrue(e.getMessage().contains("inner dimensions differ"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new double[] {1, 2}, 2).matmul(b23(), true, false));
        assertTrue(e.getMessage().contains("rank >= 2 when transposed"), e.getMessage());
    }
}
