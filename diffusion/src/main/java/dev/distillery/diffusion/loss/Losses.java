package dev.distillery.diffusion.loss;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.PerSample;

/**
 * Training losses of MATH.md sections 2-3, as scalar tensors differentiable in the model outputs.
 * Every loss is a mean over all elements (batch and data dimensions), so the three are comparable:
 * by I7, {@code epsMse == xLoss(SNR)} and {@code vMse == xLoss(SNR_PLUS_ONE)} at the same (z, t).
 */
public final class Losses {
    private Losses() {}

    /** {@code L_simple = mean ||eps - eps_hat||^2} (Ho et al. 2020, eq. 14). */
    public static Tensor epsMse(Tensor epsHat, Tensor eps) {
        return epsHat.sub(eps).square().mean();
    }

    /** {@code mean ||v - v_hat||^2} (Salimans &amp; Ho 2022). */
    public static Tensor vMse(Tensor vHat, Tensor v) {
        return vHat.sub(v).square().mean();
    }

    /**
     * {@code mean_b w(snr_b) mean_d (x - x_hat)^2}: the weighted x-loss.
     *
     * @param snr per-sample {@code snr(t_b) = alpha^2/sigma^2}
     */
    public static Tensor xLoss(Tensor xHat, Tensor x, double[] snr, XLossWeighting weighting) {
        double[] w = new double[snr.length];
        for (int b = 0; b < snr.length; b++) {
            w[b] = weighting.weight(snr[b]);
        }
        return xHat.sub(x).square().mul(PerSample.of(w, x)).mean();
    }
}
