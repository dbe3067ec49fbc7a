package dev.distillery.nn.layers;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Layer;
import dev.distillery.nn.Module;

/**
 * A parameter-free elementwise nonlinearity as a module, so it occupies an index in a
 * {@link Sequential} as in PyTorch ({@code nn.SiLU()} at position 1 makes the next Linear "2").
 */
public final class Activation extends Module implements Layer {
    /** The nonlinearities and their equations. */
    public enum Kind {
        /** {@code x sigmoid(x)}. */
        SILU,
        /** {@code x Phi(x)} (exact, erf form, as PyTorch's default). */
        GELU,
        /** {@code max(x, 0)}. */
        RELU,
        /** {@code tanh x}. */
        TANH,
        /** {@code max(x, 0.2 x)}, the GAN discriminators' choice. */
        LEAKY_RELU
    }

    private final Kind kind;

    public Activation(Kind kind) {
        this.kind = kind;
    }

    public static Activation silu() {
        return new Activation(Kind.SILU);
    }

    public static Activation gelu() {
        return new Activation(Kind.GELU);
    }

    public static Activation relu() {
        return new Activation(Kind.RELU);
    }

    public static Activation tanh() {
        return new Activation(Kind.TANH);
    }

    public static Activation leakyRelu() {
        return new Activation(Kind.LEAKY_RELU);
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public Tensor forward(Tensor x) {
        switch (kind) {
            case SILU:
                return x.silu();
            case GELU:
                return x.gelu();
            case RELU:
                return x.relu();
            case TANH:
                return x.tanh();
            case LEAKY_RELU:
                return x.leakyRelu(0.2);
            default:
                throw new IllegalStateException("unknown activation " + kind);
        }
    }

    @Override
    protected Module rebuild() {
        return new Activation(kind);
    }

    @Override
    public String toString() {
        return kind.name();
    }
}
