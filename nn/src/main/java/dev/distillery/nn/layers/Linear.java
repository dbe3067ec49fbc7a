package dev.distillery.nn.layers;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

/**
 * Affine map on the last dimension, {@code y = x W^T + b}, with {@code W: [out, in]} and
 * {@code b: [out]} (PyTorch's layout). Leading dimensions are batch dimensions.
 * Initialisation: {@code W, b ~ U(-1/sqrt(in), 1/sqrt(in))}.
 */
public final class Linear extends Module implements Layer {
    private final int in;
    private final int out;
    private final Tensor weight;
    private final Tensor bias;

    public Linear(int in, int out, Init init) {
        this(in, out, true, init);
    }

    public Linear(int in, int out, boolean bias, Init init) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear(" + in + " -> " + out + "): sizes must be positive");
        }
        this.in = in;
        this.out = out;
        double bound = Init.fanInBound(in);
        this.weight = registerParameter("weight", init.uniform(bound, out, in));
        this.bias = bias ? registerParameter("bias", init.uniform(bound, out)) : null;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null when built without one. */
    public Tensor bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 1 || x.dim(-1) != in) {
            throw new IllegalArgumentException(this + ": input has " + (x.rank() < 1 ? 0 : x.dim(-1))
                    + " features in its last dimension, expected " + in + " (input shape " + x.shape() + ")");
        }
        Tensor y = x.rank() == 1 ? x.unsqueeze(0).matmul(weight, false, true).squeeze(0)
                : x.matmul(weight, false, true);
        return bias == null ? y : y.add(bias);
    }

    @Override
    protected Module rebuild() {
        return new Linear(in, out, bias != null, Init.of(weight.dtype(), 0));
    }

    @Override
    public String toString() {
        return "Linear(" + in + " -> " + out + ")";
    }

    DType dtype() {
        return weight.dtype();
    }
}
