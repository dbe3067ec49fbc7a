package dev.distillery.diffusion.process;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.schedule.DiscreteSchedule;

/**
 * The variational bound of a discrete diffusion (Ho et al. 2020, eq. 5; MATH.md section 2):
 * <pre>
 *   L = L_T + sum_{t=2}^T L_{t-1} + L_0
 *   L_T     = KL(q(x_T | x_0) || N(0, I))
 *   L_{t-1} = KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t)),  p = N(mu_theta(x_t, t), s_t^2 I)
 *   L_0     = -log p(x_0 | x_1)   (discretized Gaussian decoder)
 * </pre>
 * with {@code mu_theta} in eps form (I3), {@code mu_theta = (x_t - beta_t/sigma_t eps_hat)/sqrt(a_t)},
 * and {@code s_t^2} a {@link ModelVariance}. The denoiser is evaluated at continuous time
 * {@code t / T}, its schedule being {@code s.asContinuous()}. Per-term tensors are differentiable
 * in eps_hat (they are the "VLB terms" of the losses). {@link #evaluate} estimates every
 * {@code L_{t-1}} with one draw of x_t per example and step; in bits per dimension,
 * {@code bpd = L / (D ln 2)}.
 */
public final class VariationalBound {
    private VariationalBound() {}

    /**
     * The bound, averaged over the batch, in nats per example.
     *
     * @param prior L_T
     * @param diffusion sum of L_{t-1}, t = 2..T
     * @param decoder L_0
     * @param dims data dimensions D
     */
    public record Terms(double prior, double diffusion, double decoder, int dims) {
        /** L in nats per example. */
        public double total() {
            return prior + diffusion + decoder;
        }

        /** L / (D ln 2). */
        public double bitsPerDim() {
            return total() / (dims * Math.log(2.0));
        }
    }

    /** {@code L_T} per sample {@code [B]}: {@code sum_d KL(N(alpha_T x_0, sigma_T^2) || N(0, 1))}. */
    public static Tensor priorTerm(DiscreteSchedule s, Tensor x0) {
        int steps = s.steps();
        double var = s.oneMinusAlphaBar(steps);
        Tensor kl = GaussianKl.diagonal(x0.mul(s.alpha(steps)), Math.log(var), x0.zerosLike(), 0.0);
        return kl.flatten(1).sum(1, false);
    }

    /** {@code L_{t-1}}, t &gt;= 2, per sample {@code [B]}, given eps_hat at (x_t, t). */
    public static Tensor diffusionTerm(DiscreteSchedule s, int[] t, Tensor x0, Tensor xt, Tensor epsHat,
                                       ModelVariance variance) {
        Tensor trueMean = DiscretePosterior.mean(s, t, x0, xt);
        Tensor modelMean = DiscretePosterior.meanFromEps(s, t, xt, epsHat);
        double[] logTrue = new double[t.length];
        double[] logModel = new double[t.length];
        for (int b = 0; b < t.length; b++) {
            if (t[b] < 2) {
                throw new IllegalArgumentException("L_{t-1} needs t >= 2, got t = " + t[b] + " at position " + b);
            }
            logTrue[b] = Math.log(DiscretePosterior.variance(s, t[b]));
            logModel[b] = variance.logVarianceClipped(s, t[b]);
        }
        Tensor kl = GaussianKl.diagonal(trueMean, PerSample.of(logTrue, xt), modelMean, PerSample.of(logModel, xt));
        return kl.flatten(1).sum(1, false);
    }

    /** {@code L_0 = -log p(x_0 | x_1)} per sample {@code [B]}, given eps_hat at (x_1, 1). */
    public static Tensor decoderTerm(DiscreteSchedule s, Tensor x0, Tensor x1, Tensor epsHat, ModelVariance variance,
                                     DiscretizedGaussianDecoder decoder) {
        int[] ones = new int[x0.dim(0)];
        java.util.Arrays.fill(ones, 1);
        Tensor modelMean = DiscretePosterior.meanFromEps(s, ones, x1, epsHat);
        Tensor logScale = x0.fullLike(0.5 * variance.logVarianceClipped(s, 1));
        return decoder.logLikelihood(x0, modelMean, logScale).flatten(1).sum(1, false).neg();
    }

    /**
     * Estimates the bound for a batch {@code x0 [B, ...]} of quantized data: for each t one draw
     * {@code x_t ~ q(x_t | x_0)}, noise from {@code key.fold(t)}. Runs under no-grad.
     */
    public static Terms evaluate(Denoiser d, DiscreteSchedule s, Tensor x0, Condition c, ModelVariance variance,
                                 DiscretizedGaussianDecoder decoder, RngKey key) {
        try (var ignored = Autograd.noGrad()) {
            int batch = x0.dim(0);
            int dims = x0.numel() / batch;
            double prior = priorTerm(s, x0).mean().item();
            double diffusion = 0.0;
            double decoderNats = 0.0;
            for (int t = 1; t <= s.steps(); t++) {
                int[] steps = new int[batch];
                java.util.Arrays.fill(steps, t);
                ForwardProcess.Noised n = ForwardProcess.sample(x0, s, steps, key.fold(t), 0L);
                Tensor epsHat = d.eps(n.z(), PerSample.time((double) t / s.steps(), batch, x0.dtype()), c);
                if (t == 1) {
                    decoderNats = decoderTerm(s, x0, n.z(), epsHat, variance, decoder).mean().item();
                } else {
                    diffusion += diffusionTerm(s, steps, x0, n.z(), epsHat, variance).mean().item();
                }
            }
            return new Terms(prior, diffusion, decoderNats, dims);
        }
    }
}
