package dev.distillery.diffusion.identities;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.mixture.GaussianMixture;
import java.util.List;
import java.util.SplittableRandom;

/**
 * I13 (MATH 5): the closed-form mixture score {@code sum_k r_k C_k^{-1} (alpha mu_k - z)} equals the
 * reverse-mode gradient of {@code log p_t(z) = logsumexp_k l_k(z)}. Autodiff gives
 * {@code sum_k softmax(l)_k dl_k/dz} with the same softmax up to rounding and
 * {@code dl_k/dz = -C_k^{-1}(z - alpha mu_k)} computed through the chain rule of square and divide;
 * the two differ by a few roundings of terms of size {@code g = max_k |C_k^{-1}(z - alpha mu_k)|}, plus
 * the softmax's rounding (relative eps per weight) times g. Error: the difference over
 * {@code 1 + g}; tolerance {@code 64 eps}. Inputs as in I8 (alpha in [0.1, 0.995]).
 */
public final class I13MixtureScoreAutodiff implements Identity {
    @Override public String id() { return "I13"; }
    @Override public String name() { return "closed-form mixture score equals autodiff of log p_t"; }
    @Override public String equation() { return "sum_k r_k C_k^-1 (alpha mu_k - z) = grad_z logsumexp_k (log pi_k + log N(z; alpha mu_k, C_k))"; }
    @Override public double tolerance() { return 64 * EPS; }

    @Override
    public double worstError(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double worst = 0;
        for (int c = 0; c < 4; c++) {
            int dim = 1 + r.nextInt(3);
            GaussianMixture m = RandomMixtures.draw(r, dim);
            int b = 4;
            double[] a = new double[b];
            double[] s = new double[b];
            for (int i = 0; i < b; i++) {
                a[i] = 0.1 + 0.895 * r.nextDouble();
                s[i] = Math.sqrt((1 - a[i]) * (1 + a[i]));
            }
            double[] zs = Inputs.normals(r, b * dim);
            for (int i = 0; i < zs.length; i++) {
                zs[i] *= 3;
            }
            Tensor alpha = Tensor.of(DType.F64, a, b);
            Tensor sigma = Tensor.of(DType.F64, s, b);
            Tensor z = Tensor.of(DType.F64, zs, b, dim).requiresGrad(true);
            Tensor logp = m.logDensity(z, alpha, sigma).sum();
            double[] auto = Autograd.grad(List.of(logp), List.of(z), null, false).get(0).toDoubleArray();
            double[] closed;
            try (var ignored = Autograd.noGrad()) {
                closed = m.score(z.detach(), alpha, sigma).toDoubleArray();
            }
            for (int i = 0; i < b; i++) {
                double g = 0;
                for (int k = 0; k < m.components(); k++) {
                    for (int d = 0; d < dim; d++) {
                        double var = a[i] * a[i] * m.variance(k, d) + s[i] * s[i];
                        g = Math.max(g, Math.abs(zs[i * dim + d] - a[i] * m.mean(k, d)) / var);
                    }
                }
                for (int d = 0; d < dim; d++) {
                    int j = i * dim + d;
                    worst = Math.max(worst, Math.abs(auto[j] - closed[j]) / (1 + g));
                }
            }
        }
        return worst;
    }
}
