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
        /**
         * {@code x > 0 ? x : slope x}; slope 0.01 by default as PyTorch's {@code nn.LeakyReLU}
         * (GAN discriminators ask for 0.2 explicitly).
         */
        LEAKY_RELU
    }

    /** PyTorch's default {@code negative_slope} of {@code nn.LeakyReLU}. */
    public static final double DEFAULT_LEAKY_SLOPE = 0.01;

    private final Kind kind;
    private final double slope;

    /** The nonlinearity {@code kind}; a leaky ReLU gets PyTorch's default slope 0.01. */
    public Activation(Kind kind) {
        this(kind, DEFAULT_LEAKY_SLOPE);
    }

    private Activation(Kind kind, double slope) {
        this.kind = kind;
        this.slope = slope;
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

    /** {@code nn.LeakyReLU()}: slope 0.01. */
    public static Activation leakyRelu() {
        return new Activation(Kind.LEAKY_RELU);
    }

    /** {@code nn.LeakyReLU(negative_slope)}, e.g. 0.2 for GAN discriminators (DCGAN). */
    public static Activation leakyRelu(double negativeSlope) {
        return new Activation(Kind.LEAKY_RELU, negativeSlope);
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
                return x.leakyRelu(slope);
            default:
                throw new IllegalStateException("unknown activation " + kind);
        }
    }

    @Override
    protected Module rebuild() {
        return new Activation(kind, slope);
    }

    @Override
    public String toString() {
        return kind == Kind.LEAKY_RELU ? "LEAKY_RELU(" + slope + ")" : kind.name();
    }
}
