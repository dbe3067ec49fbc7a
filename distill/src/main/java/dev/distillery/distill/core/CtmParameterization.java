package dev.distillery.distill.core;

import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.autograd.Tensor;

/**
 * The anytime-to-anytime integrator of consistency trajectory models (Kim et al. 2024, "Consistency
 * trajectory models", eq. 4; MATH.md section 6.5), with t, s EDM noise
 * levels, {@code 0 <= s <= t}, {@code t > 0}:
 * <pre>
 *   G(x_t, t, s) = (s/t) x_t + (1 - s/t) g(x_t, t, s)
 * </pre>
 * written literally in this order, because that order makes both boundary values exact in
 * floating point (identity I16): at {@code s = t}, {@code s/t = 1} and {@code 1 - 1 = 0} give
 * {@code G = x_t}; at {@code s = 0}, {@code 0/t = 0} gives {@code G = g(x_t, t, 0)}. (The
 * algebraically equal {@code x + (1 - s/t)(g - x)} would lose the second one.)
 */
public final class CtmParameterization {
    private CtmParameterization() {
    }

    /** {@code G = (s/t) x + (1 - s/t) g} with {@code g = g(x, t, s)} the network output. */
    public static Tensor apply(Tensor x, double t, double s, Tensor g) {
        checkTimes(t, s);
        double ratio = s / t;
        return x.mul(ratio).add(g.mul(1.0 - ratio));
    }

    /** As {@link #apply(Tensor, double, double, Tensor)} with per-sample times {@code [B]}. */
    public static Tensor apply(Tensor x, Tensor t, Tensor s, Tensor g) {
        Tensor ratio = s.div(t);
        return x.mul(PerSample.broadcast(ratio, x)).add(g.mul(PerSample.broadcast(ratio.rsub(1.0), x)));
    }

    /**
     * The network output {@code g} for which G equals a given value {@code G}: {@code g = (G - (s/t) x)/(1 - s/t)},
     * s &lt; t. Useful to build an exact CTM from a known solution map (tests, analytic teachers).
     */
    public static Tensor networkOutputFor(Tensor x, double t, double s, Tensor target) {
        checkTimes(t, s);
        if (!(s < t)) {
            throw new IllegalArgumentException("g is not determined at s = t (G = x there); got s = t = " + t);
        }
        double ratio = s / t;
        return target.sub(x.mul(ratio)).div(1.0 - ratio);
    }

    private static void checkTimes(double t, double s) {
        if (!(t > 0) || !Double.isFinite(t) || !(s >= 0) || !(s <= t)) {
            throw new IllegalArgumentException("CTM times need 0 <= s <= t, t > 0 finite; got t = " + t + ", s = " + s);
        }
    }
}
