package dev.distillery.distill.core;

import dev.distillery.diffusion.denoise.PerSample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;

import java.util.List;
import org.junit.jupiter.api.Test;

/** DMD's gradient: zero at equilibrium, the x0 and score forms agree, SDS is DMD with the delta score. */
class DmdGradientTest extends ScalarBackendTest {
    private static final double ALPHA = 0.6;
    private static final double SIGMA = 0.8;

    private static Tensor score(Tensor xt, Tensor x0) {
        return ScoreDistillation.deltaFakeScore(xt, x0, ALPHA, SIGMA);
    }

    @Test
    void gradientIsZeroWhenTheFakeScoreEqualsTheRealScore() {
        Tensor x = Tensor.randn(DType.F64, 1L, 0, 4, 3).requiresGrad(true);
        Tensor s = Tensor.randn(DType.F64, 2L, 0, 4, 3);
        Tensor x0 = Tensor.randn(DType.F64, 3L, 0, 4, 3);
        assertEquals(0.0, maxAbs(DmdGradient.fromScores(s, s, ALPHA, 2.5).toDoubleArray()), 0.0);
        assertEquals(0.0, maxAbs(DmdGradient.fromX0(x, x0, x0, ALPHA).toDoubleArray()), 0.0);
        Tensor g = Autograd.grad(List.of(DmdGradient.loss(x, x0, x0, ALPHA)), List.of(x), null, false).get(0);
        assertEquals(0.0, maxAbs(g.toDoubleArray()), 0.0);
    }

    /** Eq. 7 with eq. 8's weight, through scores, equals the simplified x0 form. */
    @Test
    void x0FormEqualsThePapersScoreFormWithItsWeight() {
        Tensor x = Tensor.randn(DType.F64, 4L, 0, 4, 3);
        Tensor eps = Tensor.randn(DType.F64, 5L, 0, 4, 3);
        Tensor xt = x.mul(ALPHA).add(eps.mul(SIGMA));
        Tensor x0Fake = Tensor.randn(DType.F64, 6L, 0, 4, 3);
        Tensor x0Real = Tensor.randn(DType.F64, 7L, 0, 4, 3);
        Tensor w = DmdGradient.weight(x, x0Real, ALPHA, SIGMA);
        Tensor viaScores = DmdGradient.fromScores(score(xt, x0Fake), score(xt, x0Real), ALPHA, w);
        assertArrayEquals(viaScores.toDoubleArray(), DmdGradient.fromX0(x, x0Fake, x0Real, ALPHA).toDoubleArray(), 1e-13);
    }

    /** With the delta fake score -eps/sigma and s_real = -eps_hat/sigma, DMD's direction is SDS's with w = w_t alpha/sigma. */
    @Test
    void sdsIsDmdWithTheDeltaFakeScore() {
        Tensor eps = Tensor.randn(DType.F64, 8L, 0, 4, 3);
        Tensor epsHat = Tensor.randn(DType.F64, 9L, 0, 4, 3);
        double wt = 1.7;
        Tensor dmd = DmdGradient.fromScores(eps.div(-SIGMA), epsHat.div(-SIGMA), ALPHA, wt);
        Tensor sds = ScoreDistillation.gradient(epsHat, eps, wt * ALPHA / SIGMA);
        assertArrayEquals(sds.toDoubleArray(), dmd.toDoubleArray(), 1e-14);
    }

    /** A descent step along the gradient moves x toward the real denoiser's output. */
    @Test
    void descentMovesTheSampleTowardTheRealPrediction() {
        Tensor x = Tensor.randn(DType.F64, 10L, 0, 2, 3);
        Tensor real = Tensor.randn(DType.F64, 11L, 0, 2, 3);
        Tensor g = DmdGradient.fromX0(x, x, real, ALPHA);   // the fake model reproduces x
        Tensor moved = x.sub(g.mul(0.01));
        double before = PerSample.squaredNorm(x.sub(real)).sum().item();
        double after = PerSample.squaredNorm(moved.sub(real)).sum().item();
        assertTrue(after < before, before + " -> " + after);
    }
}
