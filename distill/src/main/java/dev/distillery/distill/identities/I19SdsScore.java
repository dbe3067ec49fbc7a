package dev.distillery.distill.identities;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.distill.core.ScoreDistillation;

import java.util.List;
import java.util.SplittableRandom;

/**
 * <b>I19</b> (SDS score; Poole et al. 2022, eq. 3; MATH.md section 6.9): for
 * {@code x_t = alpha_t G + sigma_t eps},
 * (a) autodiff of {@code log N(x_t; alpha_t G, sigma_t^2 I)} w.r.t. x_t, and
 * {@link ScoreDistillation#deltaFakeScore}, both equal {@code -eps/sigma_t}; (b) for a tiny linear
 * generator {@code x = G_theta(z) = z W + b}, backpropagating the SDS surrogate loss gives
 * {@code dL/dW = z^T g}, {@code dL/db = sum_b g_b} with {@code g = w(t)(eps_hat - eps)}, i.e.
 * {@code w(t)(eps_hat - eps) dx/dtheta}.
 *
 * <p><b>(a) error and tolerance.</b> Per element {@code |s - (-eps/sigma)| sigma^2 / (alpha |G| + sigma |eps|)}.
 * Forming x_t rounds three times (under {@code 2u (alpha|G| + sigma|eps|)}), {@code x_t - alpha G} once more
 * ({@code alpha G} is recomputed identically), and scaling by {@code -1/sigma^2} (through the log-density's
 * backward: the constant {@code 2 sigma^2}, a division and a product by 2) at most three times relative to
 * a result of size {@code sigma |eps|}; the reference {@code -eps/sigma} once. Total under
 * {@code 7u = 3.5 EPS}; we allow 8 EPS.
 *
 * <p><b>(b) error and tolerance.</b> Per parameter, {@code |autodiff - reference| / S} with
 * {@code S = sum_b |z_bi| (|x_bj| + |g_bj|)} (for b, {@code |z| = 1}); the reference uses the same
 * computed g. The surrogate's x-gradient is within {@code EPS (|x| + |g|)} of g (I18), and the
 * matmul/broadcast backward sums B &lt;= 8 products (error under {@code B u} relative to S): total under
 * {@code EPS + 4 EPS}; we allow 8 EPS.
 */
public final class I19SdsScore implements DistillIdentity {
    private static final int TRIALS = 8;
    private static final int MAX_BATCH = 8;

    @Override
    public String id() {
        return "I19";
    }

    @Override
    public String name() {
        return "SDS delta score and SDS gradient";
    }

    @Override
    public String equation() {
        return "grad_{x_t} log N(x_t; alpha_t G, sigma_t^2 I) = -eps/sigma_t; "
                + "grad_theta L_SDS = w(t)(eps_hat - eps) dx/dtheta";
    }

    @Override
    public double tolerance() {
        return 8 * Inputs.EPS;
    }

    @Override
    public double worstError(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double worst = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            worst = Math.max(worst, scoreError(r));
            worst = Math.max(worst, generatorGradientError(r));
        }
        return worst;
    }

    private static double scoreError(SplittableRandom r) {
        NoiseSchedule schedule = Inputs.schedule(r);
        double t = r.nextDouble(0.01, 1.0);
        double alpha = schedule.alpha(t);
        double sigma = schedule.sigma(t);
        int[] shape = Inputs.shape(r);
        Tensor g = Inputs.randn(r, shape);
        Tensor eps = Inputs.standardNormal(r, shape);
        Tensor xt = g.mul(alpha).add(eps.mul(sigma)).detach().requiresGrad(true);
        int d = xt.numel();
        Tensor logDensity = xt.sub(g.mul(alpha)).square().sum().div(-2.0 * sigma * sigma)
                .sub(0.5 * d * Math.log(2 * Math.PI * sigma * sigma));
        Tensor autodiff = Autograd.grad(List.of(logDensity), List.of(xt), null, false).get(0);
        Tensor closed = ScoreDistillation.deltaFakeScore(xt.detach(), g, alpha, sigma);
        double[] want = eps.div(-sigma).toDoubleArray();
        double[] e = eps.toDoubleArray();
        double[] gs = g.toDoubleArray();
        double worst = 0;
        for (Tensor score : List.of(autodiff, closed)) {
            double[] got = score.toDoubleArray();
            for (int k = 0; k < got.length; k++) {
                double scale = (alpha * Math.abs(gs[k]) + sigma * Math.abs(e[k])) / (sigma * sigma);
                worst = Math.max(worst, I14ProgressiveTargetInversion.relative(Math.abs(got[k] - want[k]), scale));
            }
        }
        return worst;
    }

    private static double generatorGradientError(SplittableRandom r) {
        int batch = 1 + r.nextInt(MAX_BATCH);
        int in = 1 + r.nextInt(4);
        int out = 1 + r.nextInt(5);
        Tensor z = Inputs.standardNormal(r, batch, in);
        Tensor w = Inputs.randn(r, in, out).requiresGrad(true);
        Tensor b = Inputs.randn(r, out).requiresGrad(true);
        Tensor epsHat = Inputs.standardNormal(r, batch, out);
        Tensor eps = Inputs.standardNormal(r, batch, out);
        double weight = Math.pow(10.0, r.nextDouble(-2.0, 2.0));
        Tensor x = z.matmul(w).add(b);
        Tensor loss = ScoreDistillation.loss(x, epsHat, eps, weight);
        List<Tensor> grads = Autograd.grad(List.of(loss), List.of(w, b), null, false);
        double[] gW = grads.get(0).toDoubleArray();
        double[] gB = grads.get(1).toDoubleArray();

        double[] zs = z.toDoubleArray();
        double[] xs = x.detach().toDoubleArray();
        double[] eh = epsHat.toDoubleArray();
        double[] e = eps.toDoubleArray();
        double[] g = new double[batch * out];
        for (int k = 0; k < g.length; k++) {
            g[k] = (eh[k] - e[k]) * weight;
        }
        double worst = 0;
        for (int j = 0; j < out; j++) {
            for (int i = 0; i < in; i++) {
                double ref = 0;
                double scale = 0;
                for (int n = 0; n < batch; n++) {
                    ref += zs[n * in + i] * g[n * out + j];
                    scale += Math.abs(zs[n * in + i]) * (Math.abs(xs[n * out + j]) + Math.abs(g[n * out + j]));
                }
                worst = Math.max(worst, I14ProgressiveTargetInversion.relative(Math.abs(gW[i * out + j] - ref), scale));
            }
            double ref = 0;
            double scale = 0;
            for (int n = 0; n < batch; n++) {
                ref += g[n * out + j];
                scale += Math.abs(xs[n * out + j]) + Math.abs(g[n * out + j]);
            }
            worst = Math.max(worst, I14ProgressiveTargetInversion.relative(Math.abs(gB[j] - ref), scale));
        }
        return worst;
    }

}
