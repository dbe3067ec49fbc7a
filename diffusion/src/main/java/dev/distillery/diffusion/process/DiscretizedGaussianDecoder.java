package dev.distillery.diffusion.process;

import dev.distillery.autograd.Tensor;

/**
 * The discretized Gaussian decoder {@code p(x_0 | x_1)} for data quantized to {@code levels} evenly
 * spaced values in [-1, 1] (Ho et al. 2020, eq. 13; MATH.md section 2, {@code L_0}). Bin i is
 * centred on {@code x_i = -1 + 2 i / (levels - 1)} with half-width {@code h = 1 / (levels - 1)}
 * (for the 17 grey levels of the 8x8 digits, bins of width 2/16); the edge bins extend to
 * {@code -Infinity} and {@code +Infinity}:
 * <pre>
 *   p(x | mean, s) = Phi((x + h - mean)/s) - Phi((x - h - mean)/s)   inner bins
 *                  = Phi((x + h - mean)/s)                           x = -1
 *                  = 1 - Phi((x - h - mean)/s) = Phi((mean - x + h)/s) x = +1
 *   Phi(u) = (1 + erf(u / sqrt 2)) / 2
 * </pre>
 * As in Ho et al.'s code, probabilities are floored at 1e-12 before the log. The upper tail uses
 * {@code Phi(-u)} rather than {@code 1 - Phi(u)} to avoid cancellation.
 */
public final class DiscretizedGaussianDecoder {
    /** The floor of the probabilities before taking logs (Ho et al.). */
    public static final double FLOOR = 1e-12;
    private final int levels;

    /** A decoder for {@code levels >= 2} evenly spaced values in [-1, 1]. */
    public DiscretizedGaussianDecoder(int levels) {
        if (levels < 2) {
            throw new IllegalArgumentException("levels = " + levels + " is outside the allowed range [2, " + Integer.MAX_VALUE + "]");
        }
        this.levels = levels;
    }

    /** The 17 grey levels of the 8x8 digits. */
    public static DiscretizedGaussianDecoder digits() {
        return new DiscretizedGaussianDecoder(17);
    }

    public int levels() {
        return levels;
    }

    /** Half the bin width, {@code 1 / (levels - 1)}. */
    public double halfWidth() {
        return 1.0 / (levels - 1);
    }

    /**
     * Elementwise {@code log p(x | mean, exp(logScale))}; x must lie on the grid. Differentiable in
     * mean and logScale.
     */
    public Tensor logLikelihood(Tensor x, Tensor mean, Tensor logScale) {
        double h = halfWidth();
        Tensor centered = x.sub(mean);
        Tensor invStd = logScale.neg().exp();
        Tensor upper = phi(centered.add(h).mul(invStd));
        Tensor lower = phi(centered.sub(h).mul(invStd));
        Tensor logUpper = upper.maximum(FLOOR).log();
        Tensor logOneMinusLower = phi(centered.sub(h).mul(invStd).neg()).maximum(FLOOR).log();
        Tensor logDelta = upper.sub(lower).maximum(FLOOR).log();
        Tensor left = x.lt(-1.0 + h / 2);
        Tensor right = x.gt(1.0 - h / 2);
        return Tensor.where(left, logUpper, Tensor.where(right, logOneMinusLower, logDelta));
    }

    /** {@code Phi(u) = (1 + erf(u / sqrt 2)) / 2}. */
    static Tensor phi(Tensor u) {
        return u.mul(1.0 / Math.sqrt(2.0)).erf().add(1.0).mul(0.5);
    }
}
