package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.nn.Module;

/**
 * Inverted dropout: in training mode {@code y = x m / (1 - p)} with {@code m_i = [u_i > p]},
 * {@code u_i} uniform from the Philox stream of the key the caller passes (no hidden global
 * generator, so a step is reproducible from its key); in evaluation mode {@code y = x}.
 */
public final class Dropout extends Module {
    private final double p;

    public Dropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout(" + p + "): p must be in [0, 1)");
        }
        this.p = p;
    }

    public double p() {
        return p;
    }

    /** The dropped-out input; {@code key} may be null in evaluation mode or when p = 0. */
    public Tensor forward(Tensor x, RngKey key) {
        if (!isTraining() || p == 0) {
            return x;
        }
        if (key == null) {
            throw new IllegalArgumentException(this + " in training mode needs an RNG key");
        }
        Tensor keep = Tensor.rand(x.dtype(), key.value(), 0, x.shape().dims()).gt(p);
        return x.mul(keep).mul(1.0 / (1.0 - p));
    }

    @Override
    protected Module rebuild() {
        return new Dropout(p);
    }

    @Override
    public String toString() {
        return "Dropout(" + p + ")";
    }
}
