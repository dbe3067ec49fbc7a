package dev.distillery.diffusion.process;

import dev.distillery.autograd.Tensor;

/**
 * KL divergence between diagonal Gaussians (MATH.md section 2), per coordinate:
 * <pre>
 *   KL(N(m0, v0) || N(m1, v1)) = 1/2 (log v1 - log v0 + v0 / v1 + (m0 - m1)^2 / v1 - 1)
 * </pre>
 * the general formula {@code 1/2 (tr(S1^-1 S0) - k + (m1-m0)^T S1^-1 (m1-m0) + ln(det S1/det S0))}
 * with diagonal S, split into its k coordinates. Variances are given as logs.
 */
public final class GaussianKl {
    private GaussianKl() {}

    /** Elementwise KL (broadcasting); differentiable in every argument. */
    public static Tensor diagonal(Tensor mean0, Tensor logVar0, Tensor mean1, Tensor logVar1) {
        Tensor diff = mean0.sub(mean1);
        return logVar1.sub(logVar0).add(logVar0.sub(logVar1).exp()).add(diff.square().mul(logVar1.neg().exp()))
                .sub(1.0).mul(0.5);
    }

    /** Elementwise KL with scalar log-variances. */
    public static Tensor diagonal(Tensor mean0, double logVar0, Tensor mean1, double logVar1) {
        Tensor diff = mean0.sub(mean1);
        return diff.square().mul(Math.exp(-logVar1)).add(logVar1 - logVar0 + Math.exp(logVar0 - logVar1) - 1.0).mul(0.5);
    }

    /** One coordinate, in doubles. */
    public static double of(double mean0, double var0, double mean1, double var1) {
        double d = mean0 - mean1;
        return 0.5 * (Math.log(var1 / var0) + var0 / var1 + d * d / var1 - 1.0);
    }
}
