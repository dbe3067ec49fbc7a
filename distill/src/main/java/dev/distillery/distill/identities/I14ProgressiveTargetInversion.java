package dev.distillery.distill.identities;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.distill.core.DdimStep;
import dev.distillery.distill.core.ProgressiveTarget;

import java.util.SplittableRandom;

/**
 * <b>I14</b> (DDIM target inversion, Salimans &amp; Ho 2022, Appendix G; MATH.md section 6.2): one student DDIM
 * step from z_t to t'' with {@code x_hat = x_tilde} lands on the teacher's two-step result
 * {@code z_t''}; and at {@code t'' = 0} (sigma = 0, alpha = 1) {@code x_tilde = z_t''}.
 *
 * <p><b>Inputs.</b> A random schedule, N in 1..64, i in 1..N, a random batch shape, data x and
 * noise eps giving {@code z_t = alpha_t x + sigma_t eps}, and two arbitrary teacher predictions (the
 * identity holds for any teacher); all with magnitudes spread over four decades.
 *
 * <p><b>Error measure and tolerance.</b> Per element,
 * {@code |z_tilde - z_t''| / S} with {@code S = |z_t''| + r |z_t| + (alpha_t'' + r alpha_t) |x_tilde|},
 * {@code r = fl(sigma_t''/sigma_t)}. Both the inversion and the student step use the same computed
 * r, so the identity holds exactly in real arithmetic for that r, and only the roundings of the two
 * formulas count. With unit roundoff u: the inversion {@code N = z'' - r z}, {@code D = alpha'' - r alpha},
 * {@code x_tilde = N/D} contributes {@code u (r|z| + |N|) + u (r alpha + D)|x_tilde| + u |N|}
 * after the student step multiplies the relative error of x_tilde back by D; the student step
 * {@code alpha'' x_tilde + r (z - alpha x_tilde)} makes four more roundings, each of a term at most S.
 * Every term is at most 2S, in total under {@code 10 u S = 5 EPS S}; we allow {@code 8 EPS}.
 * The t'' = 0 part is exact (r = 0, {@code z'' - 0 z = z''}, division by 1) and reported as
 * {@code |x_tilde - z''| / |z''|}, which must be 0.
 */
public final class I14ProgressiveTargetInversion implements DistillIdentity {
    private static final int TRIALS = 8;

    @Override
    public String id() {
        return "I14";
    }

    @Override
    public String name() {
        return "progressive-distillation target inversion";
    }

    @Override
    public String equation() {
        return "alpha_t'' x_tilde + (sigma_t''/sigma_t)(z_t - alpha_t x_tilde) = z_t'' with "
                + "x_tilde = (z_t'' - (sigma_t''/sigma_t) z_t)/(alpha_t'' - (sigma_t''/sigma_t) alpha_t); x_tilde = z_t'' at t'' = 0";
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
            NoiseSchedule schedule = Inputs.schedule(r);
            int n = 1 + r.nextInt(64);
            int i = trial == 0 ? 1 : 1 + r.nextInt(n);
            worst = Math.max(worst, error(schedule, ProgressiveTarget.Grid.of(i, n), r));
        }
        return worst;
    }

    /** The worst normalized error for one schedule and grid step. */
    static double error(NoiseSchedule schedule, ProgressiveTarget.Grid grid, SplittableRandom r) {
        int[] shape = Inputs.shape(r);
        double t = grid.t();
        double tMid = grid.tMid();
        double tNext = grid.tNext();
        Tensor x = Inputs.randn(r, shape);
        Tensor eps = Inputs.randn(r, shape);
        Tensor zt = x.mul(schedule.alpha(t)).add(eps.mul(schedule.sigma(t)));
        Tensor zMid = DdimStep.deterministic(schedule, zt, Inputs.randn(r, shape), t, tMid);
        Tensor zNext = DdimStep.deterministic(schedule, zMid, Inputs.randn(r, shape), tMid, tNext);
        Tensor xTilde = ProgressiveTarget.xTilde(schedule, zt, zNext, t, tNext);
        Tensor student = DdimStep.deterministic(schedule, zt, xTilde, t, tNext);

        double ratio = schedule.sigma(tNext) / schedule.sigma(t);
        double coef = schedule.alpha(tNext) + ratio * schedule.alpha(t);
        double[] zs = student.toDoubleArray();
        double[] target = zNext.toDoubleArray();
        double[] z = zt.toDoubleArray();
        double[] xt = xTilde.toDoubleArray();
        double worst = 0;
        for (int k = 0; k < zs.length; k++) {
            double scale = Math.abs(target[k]) + ratio * Math.abs(z[k]) + coef * Math.abs(xt[k]);
            worst = Math.max(worst, relative(Math.abs(zs[k] - target[k]), scale));
        }
        if (schedule.sigma(tNext) == 0.0 && schedule.alpha(tNext) == 1.0) {
            for (int k = 0; k < xt.length; k++) {
                worst = Math.max(worst, relative(Math.abs(xt[k] - target[k]), Math.abs(target[k])));
            }
        }
        return worst;
    }

    static double relative(double error, double scale) {
        if (error == 0.0) {
            return 0.0;
        }
        return scale > 0 ? error / scale : Double.POSITIVE_INFINITY;
    }
}
