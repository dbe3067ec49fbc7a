package dev.distillery.nn.layers;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

/**
 * Batch normalisation (Ioffe and Szegedy 2015) as PyTorch's {@code nn.BatchNorm1d} and
 * {@code nn.BatchNorm2d}: each channel c of {@code [N, C, ...]} is standardised over the batch and
 * every spatial position,
 * {@code y = (x - mu_c) / sqrt(var_c + eps) * weight[c] + bias[c]}.
 *
 * <p>In training mode (or when running statistics are not tracked) {@code mu_c} and {@code var_c}
 * are the statistics of the batch, the variance biased (divided by n, the number of elements per
 * channel), and gradients flow through them. Each training forward pass that tracks running
 * statistics then updates the buffers as PyTorch does, recording no graph:
 * {@code num_batches_tracked += 1},
 * {@code running_mean = (1 - f) running_mean + f mu},
 * {@code running_var = (1 - f) running_var + f var n / (n - 1)} (the unbiased estimate), with
 * {@code f = momentum}, or {@code f = 1 / num_batches_tracked} (a cumulative average) when the
 * momentum is null. In evaluation mode the running statistics replace the batch's, so the layer is
 * the affine map {@code y = (x - running_mean) / sqrt(running_var + eps) * weight + bias}.
 *
 * <p>State dict names as PyTorch's: {@code weight}, {@code bias} (with {@code affine}; initially 1
 * and 0), {@code running_mean} (0), {@code running_var} (1) and {@code num_batches_tracked} (a
 * rank-0 counter held in the module's float dtype, into which PyTorch's I64 loads) with
 * {@code trackRunningStats}. Defaults as PyTorch's: {@code eps = 1e-5}, {@code momentum = 0.1},
 * affine, tracking. As PyTorch, a training batch with one value per channel is refused.
 */
public abstract sealed class BatchNorm extends Module implements Layer permits BatchNorm1d, BatchNorm2d {
    /** PyTorch's default {@code eps}. */
    public static final double DEFAULT_EPS = 1e-5;
    /** PyTorch's default {@code momentum}. */
    public static final double DEFAULT_MOMENTUM = 0.1;

    private final int features;
    private final double eps;
    private final Double momentum;
    private final boolean affine;
    private final boolean trackRunningStats;
    private final DType dtype;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    BatchNorm(int features, double eps, Double momentum, boolean affine, boolean trackRunningStats, Init init) {
        if (features < 1 || !(eps >= 0) || (momentum != null && !(momentum >= 0 && momentum <= 1))) {
            throw new IllegalArgumentException(getClass().getSimpleName() + "(" + features + ", eps " + eps
                    + ", momentum " + momentum + "): features must be positive, eps non-negative and momentum in [0, 1] or null");
        }
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        this.dtype = init.dtype();
        this.weight = affine ? registerParameter("weight", init.ones(features)) : null;
        this.bias = affine ? registerParameter("bias", init.zeros(features)) : null;
        if (trackRunningStats) {
            this.runningMean = registerBuffer("running_mean", init.zeros(features));
            this.runningVar = registerBuffer("running_var", init.ones(features));
            this.numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.scalar(0, dtype));
        } else {
            this.runningMean = null;
            this.runningVar = null;
            this.numBatchesTracked = null;
        }
    }

    /** Whether {@code rank} is an input rank this layer accepts. */
    abstract boolean acceptsRank(int rank);

    /** The accepted input shapes, for error messages. */
    abstract String expectedShape();

    public final int numFeatures() {
        return features;
    }

    public final double eps() {
        return eps;
    }

    /** The momentum, or null for a cumulative moving average. */
    public final Double momentum() {
        return momentum;
    }

    public final boolean affine() {
        return affine;
    }

    public final boolean trackRunningStats() {
        return trackRunningStats;
    }

    /** The live {@code running_mean} buffer, or null without tracking. */
    public final Tensor runningMean() {
        return runningMean;
    }

    /** The live {@code running_var} buffer, or null without tracking. */
    public final Tensor runningVar() {
        return runningVar;
    }

    /** The live {@code num_batches_tracked} counter (rank 0), or null without tracking. */
    public final Tensor numBatchesTracked() {
        return numBatchesTracked;
    }

    final DType dtype() {
        return dtype;
    }

    @Override
    public final Tensor forward(Tensor x) {
        if (!acceptsRank(x.rank()) || x.dim(1) != features) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " is not " + expectedShape()
                    + " with C = " + features);
        }
        int[] axes = new int[x.rank() - 1];
        axes[0] = 0;
        for (int d = 2; d < x.rank(); d++) {
            axes[d - 1] = d;
        }
        int[] channelShape = new int[x.rank()];
        java.util.Arrays.fill(channelShape, 1);
        channelShape[1] = features;
        boolean batchStats = isTraining() || !trackRunningStats;
        Tensor mean;
        Tensor var;
        if (batchStats) {
            int n = x.numel() / features;
            if (isTraining() && n <= 1) {
                throw new IllegalArgumentException(this + ": expected more than 1 value per channel when training, got input "
                        + x.shape());
            }
            mean = x.mean(axes, true);
            var = x.variance(axes, true);
            if (isTraining() && trackRunningStats) {
                updateRunningStats(mean, var, n);
            }
        } else {
            mean = runningMean.reshape(channelShape);
            var = runningVar.reshape(channelShape);
        }
        Tensor y = x.sub(mean).mul(var.add(eps).rsqrt());
        if (affine) {
            y = y.mul(weight.reshape(channelShape)).add(bias.reshape(channelShape));
        }
        return y;
    }

    private void updateRunningStats(Tensor mean, Tensor var, int n) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            numBatchesTracked.assign(numBatchesTracked.add(1.0));
            double f = momentum != null ? momentum : 1.0 / numBatchesTracked.item();
            Tensor mu = mean.detach().reshape(features);
            Tensor unbiased = var.detach().reshape(features).mul((double) n / (n - 1));
            runningMean.assign(runningMean.mul(1 - f).add(mu.mul(f)));
            runningVar.assign(runningVar.mul(1 - f).add(unbiased.mul(f)));
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + features + (eps != DEFAULT_EPS ? ", eps=" + eps : "")
                + (momentum == null || momentum != DEFAULT_MOMENTUM ? ", momentum=" + momentum : "")
                + (affine ? "" : ", affine=False") + (trackRunningStats ? "" : ", track_running_stats=False") + ")";
    }
}
