package dev.distillery.distill.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.diffusion.schedule.DiscreteSchedules;
import dev.distillery.diffusion.schedule.NoiseSchedule;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Progressive distillation's target, grid and weights (Salimans &amp; Ho 2022, Algorithm 2 and Appendix G). */
class ProgressiveTargetTest extends ScalarBackendTest {

    /**
     * For data that is a single point x*, the exact x-prediction is x* at every (z, t). The teacher's
     * two DDIM steps give {@code z_t'' = alpha_t'' x* + (sigma_t''/sigma_t)(z_t - alpha_t x*)} (the middle
     * point cancels), so {@code x_tilde = x* (alpha_t'' - r alpha_t)/(alpha_t'' - r alpha_t) = x*}: a
     * student equal to that teacher has zero loss on every step, including t = 1 where alpha = 0.
     */
    @Test
    void lossIsZeroWhenTheStudentIsTheExactTeacherOfSinglePointData() {
        Tensor xStar = Tensor.of(new double[] {0.8, -1.25, 2.5}, 1, 3);
        XPrediction exact = (z, t) -> xStar.expand(z.shape().dims());
        List<NoiseSchedule> schedules = List.of(ContinuousCosine.INSTANCE,
                DiscreteSchedules.rescaleZeroTerminalSnr(DiscreteSchedules.linear(1000)).asContinuous());
        double worstTarget = 0;
        double worstLoss = 0;
        for (NoiseSchedule schedule : schedules) {
            for (int n : new int[] {1, 2, 4, 8}) {
                for (int i = 1; i <= n; i++) {
                    ProgressiveTarget.Grid grid = ProgressiveTarget.Grid.of(i, n);
                    Tensor zt = Tensor.randn(DType.F64, 31L * i + n, 0, 4, 3).mul(schedule.sigma(grid.t()))
                            .add(xStar.mul(schedule.alpha(grid.t())));
                    Tensor target = ProgressiveTarget.target(schedule, exact, zt, grid);
                    Tensor student = exact.x0(zt, grid.t());
                    worstTarget = Math.max(worstTarget, maxAbs(target.toDoubleArray(),
                            student.toDoubleArray()));
                    for (LossWeighting w : LossWeighting.values()) {
                        if (w == LossWeighting.SNR && schedule.alpha(grid.t()) == 0) {
                            continue;
                        }
                        double l = ProgressiveTarget.loss(target, student, schedule.alpha(grid.t()),
                                schedule.sigma(grid.t()), w).item();
                        worstLoss = Math.max(worstLoss, l);
                    }
                }
            }
        }
        System.out.printf("PD single-point: max |x_tilde - x*| = %.3e, max loss = %.3e%n", worstTarget, worstLoss);
        assertTrue(worstTarget < 1e-13, "x_tilde = x*: " + worstTarget);
        assertTrue(worstLoss < 1e-24, "loss: " + worstLoss);
    }

    @Test
    void gridHasHalfAndFullStepsWithAnExactZeroAtTheEnd() {
        ProgressiveTarget.Grid g = ProgressiveTarget.Grid.of(3, 8);
        assertEquals(3.0 / 8, g.t(), 0.0);
        assertEquals(2.5 / 8, g.tMid(), 0.0);
        assertEquals(2.0 / 8, g.tNext(), 0.0);
        for (int n : new int[] {3, 7, 10, 1000}) {
            assertEquals(0.0, ProgressiveTarget.Grid.of(1, n).tNext(), 0.0);
            assertEquals(1.0, ProgressiveTarget.Grid.of(n, n).t(), 0.0);
        }
    }

    @Test
    void targetAtTimeZeroIsTheTeachersEndpoint() {
        Tensor zt = Tensor.randn(DType.F64, 1L, 0, 2, 3);
        Tensor zNext = Tensor.randn(DType.F64, 2L, 0, 2, 3);
        NoiseSchedule c = ContinuousCosine.INSTANCE;
        Tensor x = ProgressiveTarget.xTilde(c, zt, zNext, 0.25, 0.0);
        assertEquals(0.0, maxAbs(x.toDoubleArray(), zNext.toDoubleArray()), 0.0);
    }

    /** Salimans &amp; Ho 2022, section 4: SNR vanishes at alpha = 0; truncated SNR and SNR+1 stay at least 1. */
    @Test
    void lossWeightsFollowSeed004() {
        assertEquals(0.0, LossWeighting.SNR.weight(0.0, 1.0), 0.0);
        assertEquals(1.0, LossWeighting.TRUNCATED_SNR.weight(0.0, 1.0), 0.0);
        assertEquals(1.0, LossWeighting.SNR_PLUS_ONE.weight(0.0, 1.0), 0.0);
        assertEquals(9.0, LossWeighting.TRUNCATED_SNR.weight(9.0), 0.0);
        assertEquals(1.0, LossWeighting.TRUNCATED_SNR.weight(0.25), 0.0);
        assertEquals(10.0, LossWeighting.SNR_PLUS_ONE.weight(9.0), 0.0);
        assertEquals(Math.exp(2.0) + 1, LossWeighting.SNR_PLUS_ONE.weightAtLogSnr(2.0), 1e-15);
    }
}
