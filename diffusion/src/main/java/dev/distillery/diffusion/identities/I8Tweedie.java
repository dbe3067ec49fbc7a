package dev.distillery.diffusion.identities;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.mixture.GaussianMixture;
import java.util.SplittableRandom;

/**
 * I8 (MATH 3, Tweedie): {@code E[x | z_t] = (z_t + sigma_t^2 grad log p_t(z_t)) / alpha_t}, checked on
 * random diagonal Gaussian mixtures: the per-component posterior mean of {@link GaussianMixture#x0}
 * against Tweedie applied to the closed-form {@link GaussianMixture#score}. Inputs: mixture (K in
 * [1, 5], D in [1, 3]), alpha in [0.1, 0.995], {@code sigma = sqrt(1 - alpha^2)}, {@code z = alpha x + sigma eps}
 * with x near a random mean. Both sides use the same responsibilities (the same rounded softmax), so
 * their difference is the rounding of the per-component affine maps and of the final division: about
 * {@code c eps (|z| + sigma^2 max_k |C_k^-1 (z - alpha mu_k)| + alpha max_k |m_k|) / alpha}, m_k the
 * per-component means. Error: the difference over that scale; tolerance {@code 64 eps}.
 */
public final class I8Tweedie implements Identity {
    @Override public String id() { return "I8"; }
    @Override public String name() { return "Tweedie's formula"; }
    @Override public String equation() { return "E[x | z_t] = (z_t + sigma_t^2 grad log p_t(z_t)) / alpha_t"; }
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
            double[] zs = new double[b * dim];
            for (int i = 0; i < b; i++) {
                a[i] = 0.1 + 0.895 * r.nextDouble();
                s[i] = Math.sqrt((1 - a[i]) * (1 + a[i]));
                int comp = r.nextInt(m.components());
                for (int d = 0; d < dim; d++) {
                    double x = m.mean(comp, d) + Math.sqrt(m.variance(comp, d)) * Inputs.normal(r);
                    zs[i * dim + d] = a[i] * x + s[i] * Inputs.normal(r);
                }
            }
            Tensor alpha = Tensor.of(DType.F64, a, b);
            Tensor sigma = Tensor.of(DType.F64, s, b);
            Tensor z = Tensor.of(DType.F64, zs, b, dim);
            double[] x0 = m.x0(z, alpha, sigma).toDoubleArray();
            double[] score = m.score(z, alpha, sigma).toDoubleArray();
            for (int i = 0; i < b; i++) {
                double bound = 0;
                for (int k = 0; k < m.components(); k++) {
                    for (int d = 0; d < dim; d++) {
                        double var = a[i] * a[i] * m.variance(k, d) + s[i] * s[i];
                        double diff = zs[i * dim + d] - a[i] * m.mean(k, d);
                        bound = Math.max(bound, s[i] * s[i] * Math.abs(diff) / var + a[i] * (Math.abs(m.mean(k, d))
                                + a[i] * m.variance(k, d) * Math.abs(diff) / var));
                    }
                }
                for (int d = 0; d < dim; d++) {
                    int j = i * dim + d;
                    double tweedie = (zs[j] + s[i] * s[i] * score[j]) / a[i];
                    double scale = (Math.abs(zs[j]) + bound) / a[i];
                    worst = Math.max(worst, Math.abs(tweedie - x0[j]) / scale);
                }
            }
        }
        return worst;
    }
}
