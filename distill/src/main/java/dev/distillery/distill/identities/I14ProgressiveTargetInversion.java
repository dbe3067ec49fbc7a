package dev.distillery.distill.identities;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.identities.Choices;
import dev.distillery.diffusion.identities.Identity;
import dev.distillery.diffusion.identities.ScheduleCase;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.distill.core.DdimStep;
import dev.distillery.distill.core.ProgressiveTarget;

import java.util.Arrays;
import java.util.Objects;

/**
 * <b>I14</b> (DDIM target inversion, Salimans &amp; Ho 2022, Appendix G; MATH.md section 6.2): one student DDIM
 * step from z_t to t'' with {@code x_hat = x_tilde} lands on the teacher's two-step result
 * {@code z_t''}; and at {@code t'' = 0} (sigma = 0, alpha = 1) {@code x_tilde = z_t''}.
 *
 * <p><b>Inputs.</b> A schedule of any family (discrete ones in continuous time), N in 1..64 and
 * i in 1..N (edges 1, where t'' = 0, and N, where t = 1), a batch shape, data x and noise eps
 * giving {@code z_t = alpha_t x + sigma_t eps}, and the teacher's two predictions (the identity
 * holds for any teacher); all data values with outliers, each tensor on its own scale over four
 * decades.
 *
 * <p><b>Error measure and tolerance.</b> Per element,
 * {@code |z_tilde - z_t''| / S} with {@code S = |z_t''| + r |z_t| + (alpha_t'' + r alpha_t) |x_tilde|},
 * {@code r = fl(sigma_t''/sigma_t)}. Both the inversion and the student step use the same computed
 * r, so the identity holds exactly in real arithmetic for that r, and only the roundings of the two
 * formulas count. With unit roundoff u: the inversion {@code N = z'' - r z}, {@code D = alpha'' - r alpha},
 * {@code x_tilde = N/D} contributes {@code u (r|z| + |N|) + u (r alpha + D)|x_tilde| + u |N|}
 * after the student step multiplies the relative error of x_tilde back by D; the student step
 * {@code alpha'' x_tilde + r (z - alpha x_tilde)} makes four more roundings, each of a term at most S.
 * Every term is at most 2S, in total under {@code 10 u S = 5 EPS S}; we allow {@code 8 EPS}. The
 * input's conditioning (the cancellation in N and D, which grows as t'' approaches t) is in S.
 * The t'' = 0 part is exact (r = 0, {@code z'' - 0 z = z''}, division by 1) and reported as
 * {@code |x_tilde - z''| / |z''|}, which must be 0.
 */
public final class I14ProgressiveTargetInversion implements Identity<I14ProgressiveTargetInversion.Input> {
    /** The target inversion under test: {@code x_tilde} from z_t and the teacher's z_t''. */
    @FunctionalInterface
    public interface Inversion {
        /** {@code x_tilde} such that one student step from t lands on {@code zNext} at tNext. */
        Tensor xTilde(NoiseSchedule schedule, Tensor zt, Tensor zNext, double t, double tNext);
    }

    /**
     * @param schedule the schedule
     * @param n the student's number of steps N
     * @param i the step, t = i/N
     * @param shape the batch shape
     * @param x the data
     * @param eps the noise
     * @param first the teacher's prediction at t
     * @param second the teacher's prediction at t'
     */
    public record Input(ScheduleCase schedule, int n, int i, int[] shape, double[] x, double[] eps, double[] first,
                        double[] second) {
        @Override
        public String toString() {
            return schedule + ", step i = " + i + " of N = " + n + ", shape " + Arrays.toString(shape) + ", x = "
                    + Arrays.toString(x) + ", eps = " + Arrays.toString(eps) + ", teacher x_hat(t) = "
                    + Arrays.toString(first) + ", x_hat(t') = " + Arrays.toString(second);
        }
    }

    private final Inversion inversion;

    /** The identity for {@link ProgressiveTarget#xTilde(NoiseSchedule, Tensor, Tensor, double, double)}. */
    public I14ProgressiveTargetInversion() {
        this(ProgressiveTarget::xTilde);
    }

    /** The identity for another inversion: tests pass a wrong one and watch the property fail. */
    public I14ProgressiveTargetInversion(Inversion inversion) {
        this.inversion = Objects.requireNonNull(inversion, "inversion");
    }

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
    public Input input(Choices c) {
        ScheduleCase schedule = ScheduleCase.choose(c, ScheduleCase.ALL);
        int n = c.integer("N", 1, 64, 1, 64);
        int i = c.integer("i", 1, n, 1, n);
        int[] shape = Inputs.shape(c);
        int size = Inputs.numel(shape);
        return new Input(schedule, n, i, shape, Inputs.values(c, "x", size), Inputs.values(c, "eps", size),
                Inputs.values(c, "x_hat(t)", size), Inputs.values(c, "x_hat(t')", size));
    }

    @Override
    public double error(Input in) {
        NoiseSchedule schedule = in.schedule().schedule();
        ProgressiveTarget.Grid grid = ProgressiveTarget.Grid.of(in.i(), in.n());
        int[] shape = in.shape();
        double t = grid.t();
        double tMid = grid.tMid();
        double tNext = grid.tNext();
        Tensor x = Inputs.tensor(in.x(), shape);
        Tensor eps = Inputs.tensor(in.eps(), shape);
        Tensor zt = x.mul(schedule.alpha(t)).add(eps.mul(schedule.sigma(t)));
        Tensor zMid = DdimStep.deterministic(schedule, zt, Inputs.tensor(in.first(), shape), t, tMid);
        Tensor zNext = DdimStep.deterministic(schedule, zMid, Inputs.tensor(in.second(), shape), tMid, tNext);
        Tensor xTilde = inversion.xTilde(schedule, zt, zNext, t, tNext);
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
            worst = Math.max(worst, Inputs.relative(Math.abs(zs[k] - target[k]), scale));
        }
        if (schedule.sigma(tNext) == 0.0 && schedule.alpha(tNext) == 1.0) {
            for (int k = 0; k < xt.length; k++) {
                worst = Math.max(worst, Inputs.relative(Math.abs(xt[k] - target[k]), Math.abs(target[k])));
            }
        }
        return worst;
    }

    @Override
    public double tolerance(Input in) {
        return 8 * Inputs.EPS;
    }
}
