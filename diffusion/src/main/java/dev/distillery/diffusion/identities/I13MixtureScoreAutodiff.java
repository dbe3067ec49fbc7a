package dev.distillery.diffusion.identities;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.mixture.GaussianMixture;
import java.util.Arrays;
import java.util.List;

/**
 * I13 (MATH 5): the closed-form mixture score {@code sum_k r_k C_k^{-1} (alpha mu_k - z)} equals the
 * reverse-mode gradient of {@code log p_t(z) = logsumexp_k l_k(z)}. Input: a mixture as in I8, alpha
 * in {@code [1e-3, 1 - 1e-9]} (alpha_bar near 0 and 1 among the edges) and {@code z = 3 d}, d data
 * values (outliers included).
 *
 * <p>Autodiff gives {@code sum_k softmax(l)_k dl_k/dz} with the same softmax up to rounding and
 * {@code dl_k/dz = -C_k^{-1}(z - alpha mu_k)} computed through the chain rule of square and divide;
 * the two differ by a few roundings of terms of size {@code g = max_k |C_k^{-1}(z - alpha mu_k)|}, plus
 * the softmax's rounding times g. Error: the difference over {@code 1 + g} (the input's
 * conditioning). The softmax's rounding is not a few eps per weight for every input: the
 * library's softmax is {@code exp(l - logsumexp l)}, and both sides' weights carry a relative error
 * of up to about {@code 4 eps Lambda}, Lambda the size of the logits at z
 * ({@link MixtureCase#logitScale}; about 10 near the data, 1e12 for a point a million away), which
 * enters the error as {@code 4 eps Lambda g / (1 + g)}. Tolerance from the input:
 * {@code (64 + 4 Lambda) eps}.
 */
public final class I13MixtureScoreAutodiff implements Identity<I13MixtureScoreAutodiff.Input> {
    /**
     * @param mixture the data distribution
     * @param alpha the signal coefficient
     * @param z the point, D values
     */
    public record Input(MixtureCase mixture, double alpha, double[] z) {
        @Override
        public String toString() {
            return mixture + ", alpha = " + alpha + ", z = " + Arrays.toString(z);
        }
    }

    @Override public String id() { return "I13"; }
    @Override public String name() { return "closed-form mixture score equals autodiff of log p_t"; }
    @Override public String equation() { return "sum_k r_k C_k^-1 (alpha mu_k - z) = grad_z logsumexp_k (log pi_k + log N(z; alpha mu_k, C_k))"; }

    @Override
    public Input input(Choices c) {
        int dim = c.integer("D", 1, 3);
        MixtureCase m = MixtureCase.choose(c, dim, 1);
        double alpha = I6PredictionRoundTrip.alpha(c);
        double[] z = c.data("z", dim);
        for (int d = 0; d < dim; d++) {
            z[d] *= 3;
        }
        return new Input(m, alpha, z);
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
        Tensor z = Tensor.of(DType.F64, zs, 1, dim).requiresGrad(true);
        Tensor logp = m.logDensity(z, alpha, sigma).sum();
        double[] auto = Autograd.grad(List.of(logp), List.of(z), null, false).get(0).toDoubleArray();
        double[] closed;
        try (var ignored = Autograd.noGrad()) {
            closed = m.score(z.detach(), alpha, sigma).toDoubleArray();
        }
        double g = 0;
        for (int k = 0; k < m.components(); k++) {
            for (int d = 0; d < dim; d++) {
                double var = a * a * m.variance(k, d) + s * s;
                g = Math.max(g, Math.abs(zs[d] - a * m.mean(k, d)) / var);
            }
        }
        double worst = 0;
        for (int d = 0; d < dim; d++) {
            worst = Math.max(worst, Math.abs(auto[d] - closed[d]) / (1 + g));
        }
        return worst;
    }

    @Override
    public double tolerance(Input in) {
        double a = in.alpha();
        return (64 + 4 * in.mixture().logitScale(in.z(), a, I6PredictionRoundTrip.sigma(a), null)) * EPS;
    }
}
