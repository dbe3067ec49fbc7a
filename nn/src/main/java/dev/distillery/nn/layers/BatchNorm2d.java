package dev.distillery.nn.layers;

import dev.distillery.nn.Init;
import dev.distillery.nn.Module;

/**
 * PyTorch's {@code nn.BatchNorm2d}: batch normalisation of {@code [N, C, H, W]},
 * statistics per channel over N, H and W; see {@link BatchNorm} for the equations, modes, running
 * statistics and state dict names.
 */
public final class BatchNorm2d extends BatchNorm {
    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm2d(int features, Init init) {
        this(features, DEFAULT_EPS, DEFAULT_MOMENTUM, true, true, init);
    }

    /** {@code momentum} null gives a cumulative moving average, as PyTorch's {@code momentum=None}. */
    public BatchNorm2d(int features, double eps, Double momentum, boolean affine, boolean trackRunningStats, Init init) {
        super(features, eps, momentum, affine, trackRunningStats, init);
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 4;
    }

    @Override
    String expectedShape() {
        return "[N, C, H, W]";
    }

    @Override
    protected Module rebuild() {
        return new BatchNorm2d(numFeatures(), eps(), momentum(), affine(), trackRunningStats(), Init.of(dtype(), 0));
    }
}
