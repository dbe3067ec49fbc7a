package dev.distillery.diffusion.identities;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.mixture.GaussianMixture;
import java.util.Arrays;

/**
 * I8 (MATH 3, Tweedie): {@code E[x | z_t] = (z_t + sigma_t^2 grad log p_t(z_t)) / alpha_t}, checked on
 * diagonal Gaussian mixtures: the per-component posterior mean of {@link GaussianMixture#x0}
 * against Tweedie applied to the closed-form {@link GaussianMixture#score}. Input: a mixture
 * ({@link MixtureCase}: K in [1, 5], D in [1, 3], means with outliers), alpha in
 * {@code [1e-3, 1 - 1e-9]} as in I6 (alpha_bar near 0 and 1 among the edges),
 * {@code sigma = sqrt(1 - alpha^2)}, and {@code z = alpha x + sigma noise} with
 * {@code x = mu_k + sqrt(S_k) xi} near component k; xi and the noise are data values.
 *
 * <p>Both sides use the same responsibilities (the same rounded softmax), so their difference is the
 * rounding of the per-component affine maps and of the final division: about
 * {@code c eps (|z| + sigma^2 max_k |C_k^-1 (z - alpha mu_k)| + alpha max_k |m_k|) / alpha}, m_k the
 * per-component means. Error: the difference over that scale, which carries the input's
 * conditioning (the division by alpha, the size of the score).
 *
 * <p>One more term: the responsibilities sum to 1 only up to {@code delta}, and with
 * {@code m_k} the per-component means the two sides are {@code sum_k r_k m_k} and
 * {@code z/alpha + sum_k r_k (m_k - z/alpha) = sum_k r_k m_k - delta z/alpha}, so they differ by
 * {@code |delta| |z|/alpha}, at most {@code |delta|} on the error's scale. The library's softmax
 * {@code exp(l - logsumexp l)} gives {@code |delta| <= 4 eps Lambda}, Lambda the size of the logits at
 * z ({@link MixtureCase#logitScale}): about 10 for a point near the data, 1e12 for a point a
 * million away, where the responsibilities keep only 11 digits. Tolerance from the input:
 * {@code (64 + 4 Lambda) eps}.
 */
public final class I8Tweedie implements Identity<I8Tweedie.Input> {
    /**
     * @param mixture the data distribution
     * @param alpha the signal coefficient
     * @param component the component x is drawn near
     * @param xi x's offset from the component mean, in its standard deviations
     * @param noise the noise of z
     */
    public record Input(MixtureCase mixture, double alpha, int component, double[] xi, double[] noise) {
        /** {@code z = alpha (mu_k + sqrt(S_k) xi) + sigma noise}. */
        public double[] z() {
            double a = alpha;
            double s = I6PredictionRoundTrip.sigma(a);
            double[] z = new double[xi.length];
            for (int d = 0; d < z.length; d++) {
                double x = mixture.means()[component][d] + Math.sqrt(mixture.variances()[component][d]) * xi[d];
                z[d] = a * x + s * noise[d];
            }
            return z;
        }

        @Override
        public String toString() {
            return mixture + ", alpha = " + alpha + ", component " + component + ", xi = " + Arrays.toString(xi)
                    + ", noise = " + Arrays.toString(noise) + " (z = " + Arrays.toString(z()) + ")";
        }
    }

    @Override public String id() { return "I8"; }
    @Override public String name() { return "Tweedie's formula"; }
    @Override public String equation() { return "E[x | z_t] = (z_t + sigma_t^2 grad log p_t(z_t)) / alpha_t"; }

    @Override
    public Input input(Choices c) {
        int dim = c.integer("D", 1, 3);
        MixtureCase m = MixtureCase.choose(c, dim, 1);
        double alpha = I6PredictionRoundTrip.alpha(c);
        int component = c.integer("component", 0, m.components() - 1);
        return new Input(m, alpha, component, c.data("xi", dim), c.data("noise", dim));
    }

    @Override
    public double error(Input in) {
        GaussianMixture m = in.mixture().mixture();
        int dim = m.dim();
        double a = in.alpha();
        double s = I6PredictionRoundTrip.sigma(a);
        double[] zs = in.z();
        Tensor alpha = Tensor.of(DType.F64, new double[] {a}, 1);
        Tensor sigma = Tensor.of(DType.F64, new double[] {s}, 1);
        Tensor z = Tensor.of(DType.F64, zs, 1, dim);
        double[] x0 = m.x0(z, alpha, sigma).toDoubleArray();
        double[] score = m.score(z, alpha, sigma).toDoubleArray();
        double bound = 0;
        for (int k = 0; k < m.components(); k++) {
            for (int d = 0; d < dim; d++) {
                double var = a * a * m.variance(k, d) + s * s;
                double diff = zs[d] - a * m.mean(k, d);
                bound = Math.max(bound, s * s * Math.abs(diff) / var + a * (Math.abs(m.mean(k, d))
                        + a * m.variance(k, d) * Math.abs(diff) / var));
            }
        }
        double worst = 0;
        for (int d = 0; d < dim; d++) {
            double tweedie = (zs[d] + s * s * score[d]) / a;
            double scale = (Math.abs(zs[d]) + bound) / a;
            worst = Math.max(worst, I3PosteriorMeanEpsForm.relative(Math.abs(tweedie - x0[d]), scale));
        }
        return worst;
    }

    @Override
    public double tolerance(Input in) {
        double a = in.alpha();
        return (64 + 4 * in.mixture().logitScale(in.z(), a, I6PredictionRoundTrip.sigma(a), null)) * EPS;
    }
}
