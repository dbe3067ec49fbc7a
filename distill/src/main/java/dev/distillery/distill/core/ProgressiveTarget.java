package dev.distillery.distill.core;

import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.schedule.NoiseSchedule;

/**
 * The regression target of progressive distillation (Salimans &amp; Ho 2022, Algorithm 2 and
 * Appendix G; MATH.md section 6.2).
 *
 * <p>The student takes N steps on the grid {@code t = i/N}; the teacher takes two DDIM steps
 * {@code z_t -> z_t' -> z_t''} with {@code t' = t - 0.5/N}, {@code t'' = t - 1/N}. The target
 * {@code x_tilde} is the x-prediction for which one student DDIM step from t lands on the teacher's
 * {@code z_t''}: solving {@code z_t'' = alpha_t'' x_tilde + (sigma_t''/sigma_t)(z_t - alpha_t x_tilde)}
 * for {@code x_tilde},
 * <pre>
 *   x_tilde = (z_t'' - (sigma_t''/sigma_t) z_t) / (alpha_t'' - (sigma_t''/sigma_t) alpha_t)
 * </pre>
 * At {@code t'' = 0} (sigma = 0, alpha = 1) this is {@code x_tilde = z_t''} exactly. The
 * denominator is {@code sigma_t'' (alpha_t''/sigma_t'' - alpha_t/sigma_t) > 0} whenever the SNR is
 * strictly decreasing, so the target exists on every step of the grid, including
 * {@code t = 1} with {@code alpha_1 = 0}. Identity I14 pins that the student step with this target
 * reproduces {@code z_t''}.
 */
public final class ProgressiveTarget {
    private ProgressiveTarget() {
    }

    /**
     * The student's time grid for step {@code i} of {@code N} (1 &lt;= i &lt;= N):
     * {@code t = i/N}, {@code t' = t - 0.5/N}, {@code t'' = t - 1/N}, computed as
     * {@code i/N, (2i - 1)/(2N), (i - 1)/N} so that each is one correctly rounded division and
     * {@code t'' = 0} exactly at i = 1.
     */
    public record Grid(int i, int n, double t, double tMid, double tNext) {
        public static Grid of(int i, int n) {
            if (n < 1 || i < 1 || i > n) {
                throw new IllegalArgumentException("progressive grid: need 1 <= i <= N, got i = " + i + ", N = " + n);
            }
            return new Grid(i, n, (double) i / n, (2.0 * i - 1.0) / (2.0 * n), (i - 1.0) / n);
        }
    }

    /**
     * {@code x_tilde = (z_t'' - r z_t) / (alpha_t'' - r alpha_t)}, {@code r = sigma_t''/sigma_t}.
     * Differentiable in both tensors (callers pass detached teacher outputs).
     */
    public static Tensor xTilde(Tensor zt, Tensor ztNext, double alphaT, double sigmaT, double alphaNext,
                                double sigmaNext) {
        DdimStep.requirePositive("sigmaT", sigmaT);
        double ratio = sigmaNext / sigmaT;
        double denominator = alphaNext - ratio * alphaT;
        if (!(denominator > 0)) {
            throw new IllegalArgumentException("x_tilde: alpha_t'' - (sigma_t''/sigma_t) alpha_t = " + denominator
                    + " is not positive: t'' must have a strictly higher SNR than t");
        }
        return ztNext.sub(zt.mul(ratio)).div(denominator);
    }

    /** As {@link #xTilde(Tensor, Tensor, double, double, double, double)} with per-sample coefficients {@code [B]}. */
    public static Tensor xTilde(Tensor zt, Tensor ztNext, Tensor alphaT, Tensor sigmaT, Tensor alphaNext,
                                Tensor sigmaNext) {
        Tensor ratio = sigmaNext.div(sigmaT);
        Tensor denominator = alphaNext.sub(ratio.mul(alphaT));
        Tensor r = PerSample.broadcast(ratio, zt);
        return ztNext.sub(zt.mul(r)).div(PerSample.broadcast(denominator, zt));
    }

    /** {@link #xTilde} with the schedule's coefficients at {@code t} and {@code t''}. */
    public static Tensor xTilde(NoiseSchedule schedule, Tensor zt, Tensor ztNext, double t, double tNext) {
        return xTilde(zt, ztNext, schedule.alpha(t), schedule.sigma(t), schedule.alpha(tNext), schedule.sigma(tNext));
    }

    /**
     * The teacher's two DDIM steps {@code z_t -> z_t' -> z_t''} on {@code grid} (no graph recorded).
     */
    public static Tensor teacherTwoSteps(NoiseSchedule schedule, XPrediction teacher, Tensor zt, Grid grid) {
        try (var ignored = Autograd.noGrad()) {
            Tensor zMid = DdimStep.deterministic(schedule, zt, teacher.x0(zt, grid.t()), grid.t(), grid.tMid());
            return DdimStep.deterministic(schedule, zMid, teacher.x0(zMid, grid.tMid()), grid.tMid(), grid.tNext());
        }
    }

    /** The detached target {@code x_tilde} from the teacher's two DDIM steps on {@code grid}. */
    public static Tensor target(NoiseSchedule schedule, XPrediction teacher, Tensor zt, Grid grid) {
        try (var ignored = Autograd.noGrad()) {
            Tensor zNext = teacherTwoSteps(schedule, teacher, zt, grid);
            return xTilde(schedule, zt.detach(), zNext, grid.t(), grid.tNext()).detach();
        }
    }

    /**
     * The loss {@code L = w(lambda_t) mean_b ||x_tilde_b - x_hat_b||^2} (Salimans &amp; Ho 2022, Algorithm 2; the squared
     * norm sums over data dimensions, the batch is averaged); {@code x_tilde} is treated as a constant.
     */
    public static Tensor loss(Tensor xTilde, Tensor xHat, double alphaT, double sigmaT, LossWeighting weighting) {
        double w = weighting.weight(alphaT, sigmaT);
        return PerSample.squaredNorm(xHat.sub(xTilde.detach())).mean().mul(w);
    }
}
