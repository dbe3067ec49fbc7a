package dev.distillery.diffusion.schedule;

/** The logistic function, evaluated without overflow and to full relative precision. */
final class Sigmoid {
    private Sigmoid() {}

    /**
     * {@code sigmoid(x) = 1 / (1 + exp(-x))}; for x &lt; 0 written as {@code e^x / (1 + e^x)} so that
     * {@code exp} never overflows and tiny results keep their relative precision.
     */
    static double of(double x) {
        if (x >= 0.0) {
            return 1.0 / (1.0 + StrictMath.exp(-x));
        }
        double e = StrictMath.exp(x);
        return e / (1.0 + e);
    }
}
