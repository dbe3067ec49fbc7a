package dev.distillery.diffusion.identities;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.sampling.DdimSampler;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * I10 (MATH 4): when the data is a single point x*, the exact denoiser is {@code x_hat = x*} and
 * deterministic DDIM with any number of steps is exact: it stays on
 * {@code z_s = alpha_s x* + (sigma_s/sigma_T)(z_T - alpha_T x*)} and returns x* at s = 0. Inputs: a
 * continuous schedule, n in [1, 50] random decreasing times from t_max in [0.5, 0.99] to 0 or to a
 * positive t_min, x* and z_T ~ N(0, 4 I) of random shape. Each step makes a few roundings of values
 * of size {@code |z| + |x*|}, so the error after n steps is below about {@code 4 n eps (|z_T| + |x*| + 1)}.
 * Error: the difference to the closed form over {@code (n + 1)(|z_T| + |x*| + 1)}; tolerance {@code 16 eps}.
 */
public final class I10DdimPointMass implements Identity {
    @Override public String id() { return "I10"; }
    @Override public String name() { return "deterministic DDIM is exact for a point mass"; }
    @Override public String equation() { return "x_hat = x* => DDIM(eta = 0) gives z_s = alpha_s x* + (sigma_s/sigma_T)(z_T - alpha_T x*), z_0 = x*"; }
    @Override public double tolerance() { return 16 * EPS; }

    @Override
    public double worstError(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double worst = 0;
        for (int c = 0; c < 4; c++) {
            NoiseSchedule sch = Inputs.continuous(r);
            int n = 1 + r.nextInt(50);
            boolean toZero = r.nextBoolean();
            double[] inner = new double[n];
            double tMax = 0.5 + 0.49 * r.nextDouble();
            for (int i = 0; i < n; i++) {
                inner[i] = (toZero ? 0.0 : 1e-3) + (tMax - 1e-3) * r.nextDouble();
            }
            Arrays.sort(inner);
            double[] times = new double[n + 1];
            times[0] = tMax;
            for (int i = 0; i < n; i++) {
                times[i + 1] = inner[n - 1 - i];
            }
            if (toZero) {
                times[n] = 0.0;
            }
            if (!strictlyDecreasing(times)) {
                continue;
            }
            int b = 1 + r.nextInt(4);
            int d = 1 + r.nextInt(4);
            double[] xs = Inputs.normals(r, d);
            double[] zs = Inputs.normals(r, b * d);
            double[] point = new double[b * d];
            for (int i = 0; i < b * d; i++) {
                zs[i] *= 2;
                point[i] = 2 * xs[i % d];
            }
            Tensor xStar = Tensor.of(DType.F64, point, b, d);
            Denoiser pointMass = new Denoiser() {
                @Override public NoiseSchedule schedule() { return sch; }
                @Override public Tensor x0(Tensor z, Tensor t, Condition cond) { return xStar; }
            };
            double[] out = DdimSampler.sample(pointMass, Tensor.of(DType.F64, zs, b, d), times, 0.0, Condition.NONE,
                    null, null, null).toDoubleArray();
            double aT = sch.alpha(tMax);
            double sT = sch.sigma(tMax);
            double tEnd = times[n];
            for (int i = 0; i < out.length; i++) {
                double expected = sch.alpha(tEnd) * point[i] + sch.sigma(tEnd) / sT * (zs[i] - aT * point[i]);
                double scale = (n + 1) * (Math.abs(zs[i]) + Math.abs(point[i]) + 1);
                worst = Math.max(worst, Math.abs(out[i] - expected) / scale);
            }
        }
        return worst;
    }

    private static boolean strictlyDecreasing(double[] t) {
        for (int i = 1; i < t.length; i++) {
            if (!(t[i] < t[i - 1])) {
                return false;
            }
        }
        return true;
    }
}
