package dev.distillery.diffusion.identities;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Prediction;
import java.util.Arrays;

/**
 * I7 (MATH 3): at the same z, {@code ||v - v_hat||^2 = (1 + snr) ||x - x_hat||^2} and
 * {@code ||eps - eps_hat||^2 = snr ||x - x_hat||^2}, with v, eps computed from x and x_hat by
 * {@link Prediction}. Input: one row of d in [1, 8] values, alpha in {@code [1e-3, 1 - 1e-9]} as in
 * I6 (alpha_bar near 0 and 1 among the edges), {@code sigma = sqrt(1 - alpha^2)}, x, z and
 * {@code delta} data values (outliers included), {@code x_hat = x + delta/2}.
 *
 * <p>The differences {@code v - v_hat = (x_hat - x)/sigma} (VP) lose the absolute error of the terms
 * they cancel, about {@code 4 eps (|alpha z| + |x| + |x_hat|)/sigma} per element; relative to
 * {@code |x - x_hat|/sigma} that is {@code rho_v = 4 (|alpha z| + |x| + |x_hat|) / |x - x_hat|} eps.
 * The eps form cancels z itself, not alpha z: {@code eps - eps_hat = alpha (x_hat - x)/sigma} from
 * terms of size {@code (|z| + alpha |x|)/sigma}, so relative to it
 * {@code rho_eps = 4 (|z|/alpha + |x| + |x_hat|) / |x - x_hat|} eps, which is larger by up to
 * {@code 1/alpha^2} (z = 1e5 at alpha = 0.045: 500 times). Both are the largest over the elements
 * with {@code x != x_hat} (the others contribute exactly 0 to both sides), doubled by the square.
 * Error: {@code |lhs - rhs| / (rhs rho)} with each side's rho, 0 when both sides are 0.
 * The cancellation gives at most {@code 2 eps} of that; the sums of d &lt;= 8 squares on each side
 * ({@code d u} relative) and the right side's {@code snr = a^2/s^2}, {@code 1 + snr} and product
 * (four more roundings) add up to {@code (2d + 4) u} relative, divided by {@code rho >= 4} (since
 * {@code |x - x_hat| <= |x| + |x_hat|}): under {@code 2.5 eps}. Total under {@code 4.5 eps};
 * tolerance {@code 8 eps} (4 eps was exceeded, 4.33 eps, by the catalogue's property suite).
 */
public final class I7LossWeights implements Identity<I7LossWeights.Input> {
    /**
     * @param alpha the signal coefficient
     * @param x the data
     * @param z the noisy values
     * @param delta {@code 2 (x_hat - x)}
     */
    public record Input(double alpha, double[] x, double[] z, double[] delta) {
        @Override
        public String toString() {
            return "alpha = " + alpha + ", x = " + Arrays.toString(x) + ", z = " + Arrays.toString(z) + ", delta = "
                    + Arrays.toString(delta);
        }
    }

    @Override public String id() { return "I7"; }
    @Override public String name() { return "v- and eps-MSE are SNR+1- and SNR-weighted x-MSE"; }
    @Override public String equation() { return "||v - v_hat||^2 = (1 + snr) ||x - x_hat||^2; ||eps - eps_hat||^2 = snr ||x - x_hat||^2"; }

    @Override
    public Input input(Choices c) {
        int d = c.integer("d", 1, 8, 1, 8);
        return new Input(I6PredictionRoundTrip.alpha(c), c.data("x", d), c.data("z", d), c.data("delta", d));
    }

    @Override
    public double error(Input in) {
        double a = in.alpha();
        double s = I6PredictionRoundTrip.sigma(a);
        int d = in.x().length;
        double[] xs = in.x();
        double[] zs = in.z();
        double[] hs = new double[d];
        double rhoV = 0;
        double rhoEps = 0;
        for (int i = 0; i < d; i++) {
            hs[i] = xs[i] + 0.5 * in.delta()[i];
            if (hs[i] != xs[i]) {
                double gap = Math.abs(xs[i] - hs[i]);
                rhoV = Math.max(rhoV, 4 * (Math.abs(a * zs[i]) + Math.abs(xs[i]) + Math.abs(hs[i])) / gap);
                rhoEps = Math.max(rhoEps, 4 * (Math.abs(zs[i]) / a + Math.abs(xs[i]) + Math.abs(hs[i])) / gap);
            }
        }
        Tensor alpha = Tensor.scalar(a, DType.F64);
        Tensor sigma = Tensor.scalar(s, DType.F64);
        Tensor x = Tensor.of(DType.F64, xs, 1, d);
        Tensor z = Tensor.of(DType.F64, zs, 1, d);
        Tensor xHat = Tensor.of(DType.F64, hs, 1, d);
        double xMse = x.sub(xHat).square().sum().item();
        double vMse = Prediction.X0.toV(z, x, alpha, sigma).sub(Prediction.X0.toV(z, xHat, alpha, sigma)).square().sum().item();
        double eMse = Prediction.X0.toEps(z, x, alpha, sigma).sub(Prediction.X0.toEps(z, xHat, alpha, sigma)).square().sum().item();
        double snr = a * a / (s * s);
        double vRhs = (1 + snr) * xMse;
        double eRhs = snr * xMse;
        return Math.max(I3PosteriorMeanEpsForm.relative(Math.abs(vMse - vRhs), vRhs * rhoV),
                I3PosteriorMeanEpsForm.relative(Math.abs(eMse - eRhs), eRhs * rhoEps));
    }

    @Override
    public double tolerance(Input in) {
        return 8 * EPS;
    }
}
