package dev.distillery.autograd.backend;

/**
 * Elementwise functions {@code y = f(x; p)}. Each constant's {@link #apply} is the reference
 * definition: the scalar backend calls it, and every other backend is tested against it.
 */
public enum UnaryKernel {
    NEG { public double apply(double x, double p) { return -x; } },
    EXP { public double apply(double x, double p) { return Math.exp(x); } },
    LOG { public double apply(double x, double p) { return Math.log(x); } },
    SQRT { public double apply(double x, double p) { return Math.sqrt(x); } },
    /** {@code 1 / sqrt(x)}. */
    RSQRT { public double apply(double x, double p) { return 1.0 / Math.sqrt(x); } },
    ABS { public double apply(double x, double p) { return Math.abs(x); } },
    SIN { public double apply(double x, double p) { return Math.sin(x); } },
    COS { public double apply(double x, double p) { return Math.cos(x); } },
    TANH { public double apply(double x, double p) { return Math.tanh(x); } },
    /** {@code 1 / (1 + e^-x)}, evaluated without overflow for large |x|. */
    SIGMOID {
        public double apply(double x, double p) {
            if (x >= 0) {
                return 1.0 / (1.0 + Math.exp(-x));
            }
            double e = Math.exp(x);
            return e / (1.0 + e);
        }
    },
    /** {@code max(x, 0)}, NaN kept (as PyTorch's {@code relu}): NaNs must propagate, never be hidden. */
    RELU { public double apply(double x, double p) { return x <= 0 ? 0.0 : x; } },
    /** {@code x > 0 ? x : p x}, with slope p. */
    LEAKY_RELU { public double apply(double x, double p) { return x > 0 ? x : p * x; } },
    /** {@code log(1 + e^x) = max(x, 0) + log1p(e^-|x|)}, stable for all x. */
    SOFTPLUS { public double apply(double x, double p) { return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x))); } },
    /** The error function {@code erf(x) = 2/sqrt(pi) int_0^x e^{-u^2} du}. */
    ERF { public double apply(double x, double p) { return Erf.erf(x); } },
    /** {@code sign(x)} in {-1, 0, 1}; not differentiable, used in gradients of abs. */
    SIGN { public double apply(double x, double p) { return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; } },
    /** Heaviside step {@code x > p ? 1 : 0}; not differentiable, used in gradients of relu. */
    STEP { public double apply(double x, double p) { return x > p ? 1.0 : 0.0; } },
    /** {@code x^p} for a constant exponent p. */
    POW_SCALAR { public double apply(double x, double p) { return p == 2.0 ? x * x : Math.pow(x, p); } },
    /** {@code x * p}: scaling by a constant. */
    SCALE { public double apply(double x, double p) { return x * p; } },
    /** {@code x + p}: shifting by a constant. */
    SHIFT { public double apply(double x, double p) { return x + p; } },
    /** SiLU (swish) {@code x sigmoid(x)}: one pass instead of sigmoid then a product. */
    SILU { public double apply(double x, double p) { return x * SIGMOID.apply(x, p); } },
    /**
     * The SiLU derivative {@code s (1 + x (1 - s))} with {@code s = sigmoid(x)}: SiLU's backward in
     * one pass. It has a root near x = -1.2785, where its relative error is unbounded in any
     * precision; backends are compared against the size of its terms, {@code s (1 + |x| (1 - s))}.
     */
    SILU_GRAD {
        public double apply(double x, double p) {
            double s = SIGMOID.apply(x, p);
            return s * (1.0 + x * (1.0 - s));
        }
    };

    /** The reference value of this function at x, in double precision. */
    public abstract double apply(double x, double p);
}
