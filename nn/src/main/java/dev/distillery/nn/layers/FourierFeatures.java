package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

import java.util.List;

/**
 * Random Fourier features of a scalar (Tancik et al. 2020; score-SDE's Gaussian Fourier
 * projection) for continuous time or the guidance scale w: with a fixed buffer
 * {@code weight ~ N(0, scale^2)} of size {@code dim / 2},
 * {@code phi(t) = [sin(2 pi t weight), cos(2 pi t weight)]}. Input {@code [B]}, output {@code [B, dim]}.
 * The projection is a buffer: saved with the model, never trained.
 */
public final class FourierFeatures extends Module implements Layer {
    private final int dim;
    private final double scale;
    private final Tensor weight;

    public FourierFeatures(int dim, double scale, Init init) {
        if (dim < 2 || dim % 2 != 0) {
            throw new IllegalArgumentException("FourierFeatures(" + dim + "): dim must be even and >= 2");
        }
        this.dim = dim;
        this.scale = scale;
        this.weight = registerBuffer("weight", init.normal(scale, dim / 2));
    }

    public int dim() {
        return dim;
    }

    @Override
    public Tensor forward(Tensor t) {
        if (t.rank() != 1) {
            throw new IllegalArgumentException(this + ": input must have shape [B], got " + t.shape());
        }
        Tensor args = t.unsqueeze(1).mul(weight.unsqueeze(0)).mul(2 * Math.PI);
        return Tensor.concat(List.of(args.sin(), args.cos()), 1);
    }

    @Override
    protected Module rebuild() {
        return new FourierFeatures(dim, scale, Init.of(weight.dtype(), 0));
    }

    @Override
    public String toString() {
        return "FourierFeatures(" + dim + ", scale " + scale + ")";
    }
}
