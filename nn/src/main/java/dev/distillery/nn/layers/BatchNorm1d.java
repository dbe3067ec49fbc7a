package dev.distillery.nn.layers;

import dev.distillery.nn.Init;
import dev.distillery.nn.Module;

/**
 * PyTorch's {@code nn.BatchNorm1d}: batch normalisation of {@code [N, C]} or {@code [N, C, L]},
 * statistics per channel over N (and L); see {@link BatchNorm} for the equations, modes, running
 * statistics and state dict names.
 */
public final class BatchNorm1d extends BatchNorm {
    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm1d(int features, Init init) {
        this(features, DEFAULT_EPS, DEFAULT_MOMENTUM, true, true, init);
    }

    /** {@code momentum} null gives a cumulative moving average, as PyTorch's {@code momentum=None}. */
    public BatchNorm1d(int features, double eps, Double momentum, boolean affine, boolean trackRunningStats, Init init) {
        super(features, eps, momentum, affine, trackRunningStats, init);
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 2 || rank == 3;
    }

    @Override
    String expectedShape() {
        return "[N, C] or [N, C, L]";
    }

    @Override
    protected Module rebuild() {
        return new BatchNorm1d(numFeatures(), eps(), momentum(), affine(), trackRunningStats(), Init.of(dtype(), 0));
    }
}
