package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

/** Nearest-neighbour upsampling by an integer factor, {@code y[b, c, i, j] = x[b, c, i / s, j / s]}. */
public final class Upsample extends Module implements Layer {
    private final int scale;

    public Upsample(int scale) {
        this.scale = scale;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(this + ": input of shape " + x.shape() + " is not [B, C, H, W]");
        }
        return x.upsampleNearest2d(scale);
    }

    @Override
    protected Module rebuild() {
        return new Upsample(scale);
    }

    @Override
    public String toString() {
        return "Upsample(x" + scale + ")";
    }
}
