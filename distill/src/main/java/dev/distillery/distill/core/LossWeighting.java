package dev.distillery.distill.core;

/**
 * Weights {@code w(lambda_t)} of the x-space loss {@code w ||x - x_hat||^2} (MATH.md section 3,
 * I7; Salimans &amp; Ho 2022, section 4). With
 * {@code snr = alpha^2 / sigma^2 = exp(lambda)}:
 * <ul>
 *   <li>{@link #SNR}: {@code snr}, the x-loss equivalent of the eps-MSE; it vanishes at alpha = 0,
 *       so a step at pure noise would not be trained at all;</li>
 *   <li>{@link #TRUNCATED_SNR}: {@code max(snr, 1)} ("truncated SNR weighting");</li>
 *   <li>{@link #SNR_PLUS_ONE}: {@code snr + 1} ("SNR+1 weighting", the x-loss equivalent of the v-MSE).</li>
 * </ul>
 */
public enum LossWeighting {
    SNR {
        @Override
        public double weight(double snr) {
            return check(snr);
        }
    },
    TRUNCATED_SNR {
        @Override
        public double weight(double snr) {
            return Math.max(check(snr), 1.0);
        }
    },
    SNR_PLUS_ONE {
        @Override
        public double weight(double snr) {
            return check(snr) + 1.0;
        }
    };

    /** The weight at signal-to-noise ratio {@code snr >= 0} (+Infinity allowed at sigma = 0). */
    public abstract double weight(double snr);

    /** The weight at log-SNR {@code lambda}: {@code weight(exp(lambda))}. */
    public double weightAtLogSnr(double logSnr) {
        return weight(StrictMath.exp(logSnr));
    }

    /** The weight at coefficients alpha, sigma: {@code weight(alpha^2 / sigma^2)}. */
    public double weight(double alpha, double sigma) {
        return weight(alpha * alpha / (sigma * sigma));
    }

    private static double check(double snr) {
        if (!(snr >= 0)) {
            throw new IllegalArgumentException("snr = " + snr + " must be >= 0");
        }
        return snr;
    }
}
