package dev.distillery.diffusion.identities;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Prediction;
import java.util.SplittableRandom;

/**
 * I7 (MATH 3): at the same z, {@code ||v - v_hat||^2 = (1 + snr) ||x - x_hat||^2} and
 * {@code ||eps - eps_hat||^2 = snr ||x - x_hat||^2}, with v, eps computed from x and x_hat by
 * {@link Prediction}. Inputs: rows with alpha in [0.05, 0.9987], {@code sigma = sqrt(1 - alpha^2)},
 * x, z ~ N(0, I), {@code x_hat = x + delta}, delta ~ N(0, 0.25 I). The differences
 * {@code v - v_hat = (x_hat - x)/sigma} (VP) lose the absolute error of the terms they cancel,
 * about {@code 4 eps (|alpha z| + |x| + |x_hat|)/sigma} per element; relative to {@code |x - x_hat|/sigma}
 * that is {@code rho = 4 (|alpha z| + |x| + |x_hat|) / |x - x_hat|} eps, doubled by the square. Error:
 * {@code |lhs - rhs| / (rhs max rho / eps)} per row. The cancellation gives at most {@code 2 eps} of
 * that; the sums of d &lt;= 8 squares on each side ({@code d u} relative) and the right side's
 * {@code snr = a^2/s^2}, {@code 1 + snr} and product (four more roundings) add up to {@code (2d + 4) u}
 * relative, divided by {@code rho >= 4} (since {@code |x - x_hat| <= |x| + |x_hat|}): under
 * {@code 2.5 eps}. Total under {@code 4.5 eps}; tolerance {@code 8 eps} (4 eps was exceeded, 4.33 eps
 * at seed 3511435602424880090, by the catalogue's property suite).
 */
public final class I7LossWeights implements Identity {
    @Override public String id() { return "I7"; }
    @Override public String name() { return "v- and eps-MSE are SNR+1- and SNR-weighted x-MSE"; }
    @Override public String equation() { return "||v - v_hat||^2 = (1 + snr) ||x - x_hat||^2; ||eps - eps_hat||^2 = snr ||x - x_hat||^2"; }
    @Override public double tolerance() { return 8 * EPS; }

    @Override
    public double worstError(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = 1 + r.nextInt(8);
        double worst = 0;
        for (int row = 0; row < 8; row++) {
            double a = 0.05 + (0.9987 - 0.05) * r.nextDouble();
            double s = Math.sqrt((1 - a) * (1 + a));
            Tensor alpha = Tensor.scalar(a, DType.F64);
            Tensor sigma = Tensor.scalar(s, DType.F64);
            double[] xs = Inputs.normals(r, d);
            double[] zs = Inputs.normals(r, d);
            double[] hs = new double[d];
            double rho = 0;
            for (int i = 0; i < d; i++) {
                hs[i] = xs[i] + 0.5 * Inputs.normal(r);
                rho = Math.max(rho, 4 * (Math.abs(a * zs[i]) + Math.abs(xs[i]) + Math.abs(hs[i])) / Math.abs(xs[i] - hs[i]));
            }
            Tensor x = Tensor.of(DType.F64, xs, 1, d);
            Tensor z = Tensor.of(DType.F64, zs, 1, d);
            Tensor xHat = Tensor.of(DType.F64, hs, 1, d);
            double xMse = x.sub(xHat).square().sum().item();
            double vMse = Prediction.X0.toV(z, x, alpha, sigma).sub(Prediction.X0.toV(z, xHat, alpha, sigma)).square().sum().item();
            double eMse = Prediction.X0.toEps(z, x, alpha, sigma).sub(Prediction.X0.toEps(z, xHat, alpha, sigma)).square().sum().item();
            double snr = a * a / (s * s);
            double vRhs = (1 + snr) * xMse;
            double eRhs = snr * xMse;
            worst = Math.max(worst, Math.abs(vMse - vRhs) / (vRhs * rho));
            worst = Math.max(worst, Math.abs(eMse - eRhs) / (eRhs * rho));
        }
        return worst;
    }
}
