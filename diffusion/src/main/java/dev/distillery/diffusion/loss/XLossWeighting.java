package dev.distillery.diffusion.loss;

/**
 * Weights {@code w(snr)} of the x-loss {@code w(lambda_t) ||x - x_hat||^2} (Salimans &amp; Ho 2022,
 * section 4; MATH.md section 3). By I7, SNR weighting is the eps-MSE and SNR+1 the v-MSE.
 */
public enum XLossWeighting {
    /** {@code w = snr}: the eps-loss L_simple. */
    SNR,
    /** {@code w = max(snr, 1)}: "truncated SNR". */
    TRUNCATED_SNR,
    /** {@code w = snr + 1}: the v-loss. */
    SNR_PLUS_ONE;

    /** {@code w(snr)}. */
    public double weight(double snr) {
        return switch (this) {
            case SNR -> snr;
            case TRUNCATED_SNR -> Math.max(snr, 1.0);
            case SNR_PLUS_ONE -> snr + 1.0;
        };
    }
}
