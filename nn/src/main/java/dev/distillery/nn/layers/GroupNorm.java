package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

/**
 * Group normalisation (Wu and He 2018) as PyTorch's {@code nn.GroupNorm}: the channels of
 * {@code [B, C, ...]} are split into G groups, each group of each sample is standardised,
 * {@code y = (x - mu) / sqrt(var + eps) * weight[c] + bias[c]} (biased variance); weight 1, bias 0.
 */
public final class GroupNorm extends Module implements Layer {
    private final int groups;
    private final int channels;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    /** GroupNorm with PyTorch's default {@code eps = 1e-5}. */
    public GroupNorm(int groups, int channels, Init init) {
        this(groups, channels, 1e-5, init);
    }

    public GroupNorm(int groups, int channels, double eps, Init init) {
        if (groups < 1 || channels % groups != 0) {
            throw new IllegalArgumentException("GroupNorm(" + groups + ", " + channels + "): " + groups
                    + " groups do not divide " + channels + " channels");
        }
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        this.weight = registerParameter("weight", init.ones(channels));
        this.bias = registerParameter("bias", init.zeros(channels));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 2 || x.dim(1) != channels) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " has "
                    + (x.rank() < 2 ? "no channel dimension" : x.dim(1) + " channels") + ", expected " + channels);
        }
        return x.groupNorm(groups, weight, bias, eps);
    }

    @Override
    protected Module rebuild() {
        return new GroupNorm(groups, channels, eps, Init.of(weight.dtype(), 0));
    }

    @Override
    public String toString() {
        return "GroupNorm(" + groups + ", " + channels + ")";
    }
}
