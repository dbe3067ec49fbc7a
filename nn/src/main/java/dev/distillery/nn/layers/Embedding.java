package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Module;

import java.util.Arrays;

/**
 * A lookup table {@code y[i] = W[ids[i]]}, {@code W: [count (+1), dim] ~ N(0, 1)} as PyTorch's
 * {@code nn.Embedding}. With {@code nullRow} the table has one more row, index {@link #nullIndex()},
 * the "no class" embedding of classifier-free guidance (Ho and Salimans 2022).
 */
public final class Embedding extends Module {
    private final int count;
    private final int dim;
    private final boolean nullRow;
    private final Tensor weight;

    public Embedding(int count, int dim, boolean nullRow, Init init) {
        if (count < 1 || dim < 1) {
            throw new IllegalArgumentException("Embedding(" + count + ", " + dim + "): sizes must be positive");
        }
        this.count = count;
        this.dim = dim;
        this.nullRow = nullRow;
        this.weight = registerParameter("weight", init.normal(1.0, count + (nullRow ? 1 : 0), dim));
    }

    /** The row of the null class ({@code count}); only with {@code nullRow}. */
    public int nullIndex() {
        if (!nullRow) {
            throw new IllegalStateException(this + " has no null row");
        }
        return count;
    }

    public int dim() {
        return dim;
    }

    /** Rows {@code ids[i]}, shape {@code [ids.length, dim]}; differentiable in the table. */
    public Tensor forward(int[] ids) {
        int rows = count + (nullRow ? 1 : 0);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= rows) {
                throw new IllegalArgumentException(this + ": id " + ids[i] + " at position " + i + " is outside 0.."
                        + (rows - 1) + " (ids " + Arrays.toString(ids) + ")");
            }
        }
        return weight.indexSelect(0, ids);
    }

    @Override
    protected Module rebuild() {
        return new Embedding(count, dim, nullRow, Init.of(weight.dtype(), 0));
    }

    @Override
    public String toString() {
        return "Embedding(" + count + (nullRow ? " + null" : "") + ", " + dim + ")";
    }
}
