package dev.distillery.autograd.backend;

/**
 * Elementwise functions of two broadcast inputs. {@link #apply} is the reference definition.
 * The comparisons return 1 or 0 in the inputs' dtype and are not differentiable.
 */
public enum BinaryKernel {
    ADD { public double apply(double a, double b) { return a + b; } },
    SUB { public double apply(double a, double b) { return a - b; } },
    MUL { public double apply(double a, double b) { return a * b; } },
    DIV { public double apply(double a, double b) { return a / b; } },
    POW { public double apply(double a, double b) { return Math.pow(a, b); } },
    /** Larger of the two; NaN if either is NaN, like {@code torch.maximum}. */
    MAX { public double apply(double a, double b) { return Math.max(a, b); } },
    /** Smaller of the two; NaN if either is NaN, like {@code torch.minimum}. */
    MIN { public double apply(double a, double b) { return Math.min(a, b); } },
    GT { public double apply(double a, double b) { return a > b ? 1.0 : 0.0; } },
    GE { public double apply(double a, double b) { return a >= b ? 1.0 : 0.0; } },
    EQ { public double apply(double a, double b) { return a == b ? 1.0 : 0.0; } };

    public abstract double apply(double a, double b);
}
