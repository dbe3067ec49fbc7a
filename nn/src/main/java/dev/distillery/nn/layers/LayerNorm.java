package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

/**
 * Layer normalisation (Ba et al. 2016) over the last dimension, as PyTorch's
 * {@code nn.LayerNorm(dim)}: {@code y = (x - mean) / sqrt(var + eps) * weight + bias}, biased
 * variance; weight 1, bias 0.
 */
public final class LayerNorm extends Module implements Layer {
    private final int dim;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    public LayerNorm(int dim, Init init) {
        this(dim, 1e-5, init);
    }

    public LayerNorm(int dim, double eps, Init init) {
        this.dim = dim;
        this.eps = eps;
        this.weight = registerParameter("weight", init.ones(dim));
        this.bias = registerParameter("bias", init.zeros(dim));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 1 || x.dim(-1) != dim) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " does not end in " + dim);
        }
        return x.layerNorm(1, weight, bias, eps);
    }

    @Override
    protected Module rebuild() {
        return new LayerNorm(dim, eps, Init.of(weight.dtype(), 0));
    }

    @Override
    public String toString() {
        return "LayerNorm(" + dim + ")";
    }
}
