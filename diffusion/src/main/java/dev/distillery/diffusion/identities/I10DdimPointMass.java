package dev.distillery.diffusion.identities;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.sampling.DdimSampler;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import java.util.Arrays;

/**
 * I10 (MATH 4): when the data is a single point x*, the exact denoiser is {@code x_hat = x*} and
 * deterministic DDIM with any number of steps is exact: it stays on
 * {@code z_s = alpha_s x* + (sigma_s/sigma_T)(z_T - alpha_T x*)} and returns x* at s = 0. Input: a
 * schedule of any family (discrete ones in continuous time), n in [1, 50] steps from t_max in
 * {@code [0.5, 1]} (edges 0.99, {@code 1 - 1e-9} and 1, where alpha is 0 for the continuous cosine
 * and the zero-terminal-SNR families) down to 0 or to a positive t_min in [1e-3, 0.4], the step
 * lengths in proportion to n weights in [0.01, 1] (equal weights: a uniform grid), a batch
 * {@code [B, D]} (B, D in [1, 4]), x* (D data values, the same for every row) and z_T (B x D data
 * values), outliers included.
 *
 * <p>Each step makes a few roundings of values of size {@code |z| + |x*|}, so the error after n
 * steps is below about {@code 4 n eps (|z_T| + |x*| + 1)}. Error: the difference to the closed form
 * over {@code (n + 1)(|z_T| + |x*| + 1)}, which carries the input's conditioning (the number of
 * steps, the size of the data); tolerance {@code 16 eps}.
 */
public final class I10DdimPointMass implements Identity<I10DdimPointMass.Input> {
    /**
     * @param schedule the schedule
     * @param times the n + 1 times, strictly decreasing, from t_max to t_min
     * @param shape {@code [B, D]}
     * @param point x*, D values
     * @param zT the starting point, B x D values
     */
    public record Input(ScheduleCase schedule, double[] times, int[] shape, double[] point, double[] zT) {
        @Override
        public String toString() {
            return schedule + ", times = " + Arrays.toString(times) + ", shape " + Arrays.toString(shape) + ", x* = "
                    + Arrays.toString(point) + ", z_T = " + Arrays.toString(zT);
        }
    }

    @Override public String id() { return "I10"; }
    @Override public String name() { return "deterministic DDIM is exact for a point mass"; }
    @Override public String equation() { return "x_hat = x* => DDIM(eta = 0) gives z_s = alpha_s x* + (sigma_s/sigma_T)(z_T - alpha_T x*), z_0 = x*"; }

    @Override
    public Input input(Choices c) {
        ScheduleCase sch = ScheduleCase.choose(c, ScheduleCase.ALL);
        int n = c.integer("n", 1, 50, 1, 50);
        double tMax = c.real("t_max", 0.5, 1.0, 0.99, 1 - 1e-9);
        double tMin = c.coin("t_min > 0") ? c.real("t_min", 1e-3, 0.4) : 0.0;
        double[] cumulative = new double[n + 1];
        for (int i = 1; i <= n; i++) {
            cumulative[i] = cumulative[i - 1] + c.real("weight", 0.01, 1.0);
        }
        double[] times = new double[n + 1];
        times[0] = tMax;
        for (int i = 1; i < n; i++) {
            times[i] = tMin + (tMax - tMin) * (1 - cumulative[i] / cumulative[n]);
        }
        times[n] = tMin;
        int[] shape = c.shape("shape", 2, 2, 4);
        return new Input(sch, times, shape, c.data("x*", shape[1]), c.data("z_T", shape[0] * shape[1]));
    }

    @Override
    public double error(Input in) {
        NoiseSchedule sch = in.schedule().schedule();
        double[] times = in.times();
        int n = times.length - 1;
        int b = in.shape()[0];
        int d = in.shape()[1];
        double[] zs = in.zT();
        double[] point = new double[b * d];
        for (int i = 0; i < b * d; i++) {
            point[i] = in.point()[i % d];
        }
        Tensor xStar = Tensor.of(DType.F64, point, b, d);
        Denoiser pointMass = new Denoiser() {
            @Override public NoiseSchedule schedule() { return sch; }
            @Override public Tensor x0(Tensor z, Tensor t, Condition cond) { return xStar; }
        };
        double[] out = DdimSampler.sample(pointMass, Tensor.of(DType.F64, zs, b, d), times, 0.0, Condition.NONE,
                null, null, null).toDoubleArray();
        double aT = sch.alpha(times[0]);
        double sT = sch.sigma(times[0]);
        double tEnd = times[n];
        double worst = 0;
        for (int i = 0; i < out.length; i++) {
            double expected = sch.alpha(tEnd) * point[i] + sch.sigma(tEnd) / sT * (zs[i] - aT * point[i]);
            double scale = (n + 1) * (Math.abs(zs[i]) + Math.abs(point[i]) + 1);
            worst = Math.max(worst, Math.abs(out[i] - expected) / scale);
        }
        return worst;
    }

    @Override
    public double tolerance(Input in) {
        return 16 * EPS;
    }
}
