package dev.distillery.distill.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.diffusion.schedule.NoiseSchedule;

import org.junit.jupiter.api.Test;

/** The DDIM step: per-sample coefficients, single-point data (I10), eta = 1 as the posterior (I9). */
class DdimStepTest extends ScalarBackendTest {
    private final NoiseSchedule cosine = ContinuousCosine.INSTANCE;

    @Test
    void perSampleCoefficientsGiveTheSameValuesAsScalarOnesRowByRow() {
        Tensor z = Tensor.randn(DType.F64, 1L, 0, 3, 2, 2);
        Tensor x = Tensor.randn(DType.F64, 2L, 0, 3, 2, 2);
        double[] t = {0.9, 0.5, 0.2};
        double[] s = {0.7, 0.25, 0.0};
        Tensor step = DdimStep.deterministic(z, x, coef(t, true), coef(t, false), coef(s, true), coef(s, false));
        for (int b = 0; b < 3; b++) {
            Tensor row = DdimStep.deterministic(cosine, z.slice(0, b, b + 1), x.slice(0, b, b + 1), t[b], s[b]);
            assertArrayEquals(row.toDoubleArray(), step.slice(0, b, b + 1).toDoubleArray(), 0.0);
        }
    }

    private Tensor coef(double[] times, boolean alpha) {
        double[] v = new double[times.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = alpha ? cosine.alpha(times[i]) : cosine.sigma(times[i]);
        }
        return Tensor.of(v, v.length);
    }

    /** I10: with single-point data x*, the exact x-prediction is x* and DDIM returns x* from any noise. */
    @Test
    void singlePointDataIsReturnedExactlyByDeterministicDdimWithAnyStepCount() {
        Tensor xStar = Tensor.of(new double[] {0.3, -1.7}, 1, 2);
        for (int steps : new int[] {1, 2, 7, 50}) {
            Tensor z = Tensor.randn(DType.F64, 5L, 0, 1, 2);
            for (int k = steps; k >= 1; k--) {
                z = DdimStep.deterministic(cosine, z, xStar, (double) k / steps, (k - 1.0) / steps);
            }
            assertArrayEquals(xStar.toDoubleArray(), z.toDoubleArray(), 0.0, steps + " steps");
        }
    }

    /**
     * I9 in continuous time: eta = 1 makes the step the posterior q(z_s | z_t, x) when x_hat = x: the
     * mean {@code alpha_{t|s} sigma_s^2/sigma_t^2 z_t + alpha_s sigma_{t|s}^2/sigma_t^2 x} (xi = 0) and
     * the variance {@code sigma_{t|s}^2 sigma_s^2/sigma_t^2} (MATH.md section 2).
     */
    @Test
    void etaOneIsThePosteriorMeanAndVariance() {
        double t = 0.8;
        double s = 0.55;
        double at = cosine.alpha(t);
        double st = cosine.sigma(t);
        double as = cosine.alpha(s);
        double ss = cosine.sigma(s);
        double ats = at / as;
        double sts2 = st * st - ats * ats * ss * ss;
        Tensor z = Tensor.randn(DType.F64, 6L, 0, 4, 3);
        Tensor x = Tensor.randn(DType.F64, 7L, 0, 4, 3);
        Tensor mean = DdimStep.stochastic(z, x, at, st, as, ss, 1.0, z.zerosLike());
        Tensor posterior = z.mul(ats * ss * ss / (st * st)).add(x.mul(as * sts2 / (st * st)));
        assertEquals(0.0, maxAbs(mean.toDoubleArray(), posterior.toDoubleArray()), 1e-14);
        double c = DdimStep.noiseScale(at, st, as, ss, 1.0);
        assertEquals(sts2 * ss * ss / (st * st), c * c, 1e-15);
    }

    @Test
    void etaZeroStochasticStepIsTheDeterministicOne() {
        Tensor z = Tensor.randn(DType.F64, 8L, 0, 2, 3);
        Tensor x = Tensor.randn(DType.F64, 9L, 0, 2, 3);
        Tensor xi = Tensor.randn(DType.F64, 10L, 0, 2, 3);
        assertArrayEquals(DdimStep.deterministic(cosine, z, x, 0.6, 0.3).toDoubleArray(),
                DdimStep.stochastic(z, x, cosine.alpha(0.6), cosine.sigma(0.6), cosine.alpha(0.3), cosine.sigma(0.3), 0.0, xi)
                        .toDoubleArray(), 0.0);
    }

    @Test
    void rejectsAZeroNoiseLevelAtTheStart() {
        Tensor z = Tensor.zeros(DType.F64, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> DdimStep.deterministic(z, z, 1.0, 0.0, 1.0, 0.0));
    }
}
