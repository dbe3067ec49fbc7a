package dev.distillery.diffusion.metrics;

/**
 * Entropies of a classifier's predictions on generated samples (nats), from logits {@code [n, C]}
 * with {@code p_j = softmax(logits_j)}:
 * <pre>
 *   conditional = (1/n) sum_j H(p_j)            low: each sample is clearly one class (quality)
 *   marginal    = H((1/n) sum_j p_j)            high (up to log C): classes are balanced (diversity)
 * </pre>
 * The Inception score is {@code exp(marginal - conditional)}.
 */
public final class PredictedClassEntropy {
    private PredictedClassEntropy() {}

    /**
     * @param conditional mean per-sample entropy
     * @param marginal entropy of the mean prediction
     */
    public record Result(double conditional, double marginal) {
        /** {@code exp(marginal - conditional)} (Inception score). */
        public double inceptionScore() {
            return Math.exp(marginal - conditional);
        }
    }

    /** Both entropies from logits. */
    public static Result of(double[][] logits) {
        int classes = logits[0].length;
        double[] meanP = new double[classes];
        double conditional = 0;
        for (double[] row : logits) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : row) {
                max = Math.max(max, v);
            }
            double z = 0;
            for (double v : row) {
                z += Math.exp(v - max);
            }
            double logZ = max + Math.log(z);
            double h = 0;
            for (int c = 0; c < classes; c++) {
                double logp = row[c] - logZ;
                double p = Math.exp(logp);
                h -= p * logp;
                meanP[c] += p / logits.length;
            }
            conditional += h / logits.length;
        }
        double marginal = 0;
        for (double p : meanP) {
            if (p > 0) {
                marginal -= p * Math.log(p);
            }
        }
        return new Result(conditional, marginal);
    }
}
