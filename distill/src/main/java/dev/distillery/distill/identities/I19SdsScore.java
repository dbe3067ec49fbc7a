package dev.distillery.distill.identities;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.identities.Choices;
import dev.distillery.diffusion.identities.Identity;
import dev.distillery.diffusion.identities.ScheduleCase;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.distill.core.ScoreDistillation;

import java.util.Arrays;
import java.util.List;

/**
 * <b>I19</b> (SDS score; Poole et al. 2022, eq. 3; MATH.md section 6.9): for
 * {@code x_t = alpha_t G + sigma_t eps},
 * (a) autodiff of {@code log N(x_t; alpha_t G, sigma_t^2 I)} w.r.t. x_t, and
 * {@link ScoreDistillation#deltaFakeScore}, both equal {@code -eps/sigma_t}; (b) for a tiny linear
 * generator {@code x = G_theta(z) = z W + b}, backpropagating the SDS surrogate loss gives
 * {@code dL/dW = z^T g}, {@code dL/db = sum_b g_b} with {@code g = w(t)(eps_hat - eps)}, i.e.
 * {@code w(t)(eps_hat - eps) dx/dtheta}.
 *
 * <p><b>Inputs.</b> (a) a schedule of any family, t in [0.01, 1] (edges the bounds), a batch shape,
 * G and eps data values (outliers included; G on its own scale); (b) B in 1..8 rows of z (in 1..4
 * features) and of eps_hat and eps (out in 1..5), the generator's W and b (each on its own scale) and
 * the weight {@code w = 10^e}, e in [-2, 2].
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
public final class I19SdsScore implements Identity<I19SdsScore.Input> {
    private static final int MAX_BATCH = 8;

    /**
     * Part (a)'s input.
     *
     * @param schedule the schedule
     * @param t the time
     * @param shape the batch shape
     * @param g the generator's output G
     * @param eps the noise
     */
    public record ScoreCase(ScheduleCase schedule, double t, int[] shape, double[] g, double[] eps) {
        @Override
        public String toString() {
            return schedule + ", t = " + t + ", shape " + Arrays.toString(shape) + ", G = " + Arrays.toString(g)
                    + ", eps = " + Arrays.toString(eps);
        }
    }

    /**
     * Part (b)'s input.
     *
     * @param batch B
     * @param in the generator's input features
     * @param out its output features
     * @param z the generator's inputs, B x in
     * @param w W, in x out
     * @param b the bias, out
     * @param epsHat the model's noise prediction, B x out
     * @param eps the noise, B x out
     * @param weight w(t)
     */
    public record GradientCase(int batch, int in, int out, double[] z, double[] w, double[] b, double[] epsHat,
                               double[] eps, double weight) {
        @Override
        public String toString() {
            return "B = " + batch + ", in = " + in + ", out = " + out + ", z = " + Arrays.toString(z) + ", W = "
                    + Arrays.toString(w) + ", b = " + Arrays.toString(b) + ", eps_hat = " + Arrays.toString(epsHat)
                    + ", eps = " + Arrays.toString(eps) + ", w(t) = " + weight;
        }
    }

    /**
     * @param score part (a)
     * @param gradient part (b)
     */
    public record Input(ScoreCase score, GradientCase gradient) {
        @Override
        public String toString() {
            return "(a) " + score + "; (b) " + gradient;
        }
    }

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
    public Input input(Choices c) {
        ScheduleCase schedule = ScheduleCase.choose(c, ScheduleCase.ALL);
        double t = c.real("t", 0.01, 1.0);
        int[] shape = Inputs.shape(c);
        int n = Inputs.numel(shape);
        ScoreCase score = new ScoreCase(schedule, t, shape, Inputs.values(c, "G", n), c.data("eps", n));
        int batch = c.integer("B", 1, MAX_BATCH);
        int in = c.integer("in", 1, 4);
        int out = c.integer("out", 1, 5);
        GradientCase gradient = new GradientCase(batch, in, out, c.data("z", batch * in),
                Inputs.values(c, "W", in * out), Inputs.values(c, "b", out), c.data("eps_hat", batch * out),
                c.data("eps(b)", batch * out), Math.pow(10.0, c.real("log10 w(t)", -2.0, 2.0)));
        return new Input(score, gradient);
    }

    @Override
    public double error(Input in) {
        return Math.max(scoreError(in.score()), generatorGradientError(in.gradient()));
    }

    @Override
    public double tolerance(Input in) {
        return 8 * Inputs.EPS;
    }

    private static double scoreError(ScoreCase in) {
        NoiseSchedule schedule = in.schedule().schedule();
        double alpha = schedule.alpha(in.t());
        double sigma = schedule.sigma(in.t());
        int[] shape = in.shape();
        Tensor g = Inputs.tensor(in.g(), shape);
        Tensor eps = Inputs.tensor(in.eps(), shape);
        Tensor xt = g.mul(alpha).add(eps.mul(sigma)).detach().requiresGrad(true);
        int d = xt.numel();
        Tensor logDensity = xt.sub(g.mul(alpha)).square().sum().div(-2.0 * sigma * sigma)
                .sub(0.5 * d * Math.log(2 * Math.PI * sigma * sigma));
        Tensor autodiff = Autograd.grad(List.of(logDensity), List.of(xt), null, false).get(0);
        Tensor closed = ScoreDistillation.deltaFakeScore(xt.detach(), g, alpha, sigma);
        double[] want = eps.div(-sigma).toDoubleArray();
        double[] e = in.eps();
        double[] gs = in.g();
        double worst = 0;
        for (Tensor score : List.of(autodiff, closed)) {
            double[] got = score.toDoubleArray();
            for (int k = 0; k < got.length; k++) {
                double scale = (alpha * Math.abs(gs[k]) + sigma * Math.abs(e[k])) / (sigma * sigma);
                worst = Math.max(worst, Inputs.relative(Math.abs(got[k] - want[k]), scale));
            }
        }
        return worst;
    }

    private static double generatorGradientError(GradientCase in) {
        int batch = in.batch();
        int out = in.out();
        int features = in.in();
        Tensor z = Inputs.tensor(in.z(), batch, features);
        Tensor w = Inputs.tensor(in.w(), features, out).requiresGrad(true);
        Tensor b = Inputs.tensor(in.b(), out).requiresGrad(true);
        Tensor epsHat = Inputs.tensor(in.epsHat(), batch, out);
        Tensor eps = Inputs.tensor(in.eps(), batch, out);
        double weight = in.weight();
        Tensor x = z.matmul(w).add(b);
        Tensor loss = ScoreDistillation.loss(x, epsHat, eps, weight);
        List<Tensor> grads = Autograd.grad(List.of(loss), List.of(w, b), null, false);
        double[] gW = grads.get(0).toDoubleArray();
        double[] gB = grads.get(1).toDoubleArray();

        double[] zs = in.z();
        double[] xs = x.detach().toDoubleArray();
        double[] eh = in.epsHat();
        double[] e = in.eps();
        double[] g = new double[batch * out];
        for (int k = 0; k < g.length; k++) {
            g[k] = (eh[k] - e[k]) * weight;
        }
        double worst = 0;
        for (int j = 0; j < out; j++) {
            for (int i = 0; i < features; i++) {
                double ref = 0;
                double scale = 0;
                for (int n = 0; n < batch; n++) {
                    ref += zs[n * features + i] * g[n * out + j];
                    scale += Math.abs(zs[n * features + i]) * (Math.abs(xs[n * out + j]) + Math.abs(g[n * out + j]));
                }
                worst = Math.max(worst, Inputs.relative(Math.abs(gW[i * out + j] - ref), scale));
            }
            double ref = 0;
            double scale = 0;
            for (int n = 0; n < batch; n++) {
                ref += g[n * out + j];
                scale += Math.abs(xs[n * out + j]) + Math.abs(g[n * out + j]);
            }
            worst = Math.max(worst, Inputs.relative(Math.abs(gB[j] - ref), scale));
        }
        return worst;
    }
}
