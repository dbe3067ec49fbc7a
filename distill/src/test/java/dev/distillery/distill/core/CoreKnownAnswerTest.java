package dev.distillery.distill.core;

import dev.distillery.diffusion.denoise.PerSample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Known answers of distill.core's formulas at interior points, derived by hand from each paper's
 * formula (the derivation is in the comment next to each number). The identities (I14-I19) check
 * boundaries and round trips, which a wrong coefficient can pass: {@code f(x, eps) = x} holds for
 * any {@code c_out} that vanishes at eps. These values would not. Where two readings of a formula
 * differ only by a sign or by multiplying instead of dividing, the inputs are chosen asymmetric
 * (no coefficient is 1, no two times are equal) so that every such variant gives another number.
 * (Mutation testing found these gaps: docs/MUTATION.md.)
 */
class CoreKnownAnswerTest extends ScalarBackendTest {

    // ------------------------------------------------------------------ consistency models

    /**
     * CM (Song et al. 2023, Appendix C): {@code c_skip = sd^2/((t - eps)^2 + sd^2)},
     * {@code c_out = sd (t - eps)/sqrt(sd^2 + t^2)}, {@code c_in = 1/sqrt(t^2 + sd^2)}. With sd = 3 and
     * eps = 1 the square roots are whole at t = 4 (3-4-5) and t = 7.2 (sqrt(9 + 51.84) = 7.8):
     * <pre>
     *   t = 1:    c_skip = 9/9 = 1                      c_out = 0
     *   t = 4:    c_skip = 9/(9 + 9) = 1/2              c_out = 3*3/5 = 9/5       c_in = 1/5
     *   t = 7.2:  c_skip = 9/(38.44 + 9) = 225/1186     c_out = 3*6.2/7.8 = 31/13 c_in = 1/7.8
     * </pre>
     * (This repository has only the CM convention; latent consistency models' own scaling is not implemented.)
     */
    @Test
    void consistencyCoefficientsAtThreeTimesMatchThePapersFormula() {
        ConsistencyParameterization p = new ConsistencyParameterization(3.0, 1.0);
        assertEquals(1.0, p.cSkip(1.0), 0.0);
        assertEquals(0.0, p.cOut(1.0), 0.0);
        assertEquals(0.5, p.cSkip(4.0), 1e-15);
        assertEquals(1.8, p.cOut(4.0), 1e-15);
        assertEquals(0.2, p.cIn(4.0), 1e-15);
        assertEquals(225.0 / 1186.0, p.cSkip(7.2), 1e-15);
        assertEquals(31.0 / 13.0, p.cOut(7.2), 1e-14);
        assertEquals(1.0 / 7.8, p.cIn(7.2), 1e-15);
    }

    /** {@code f = c_skip x + c_out F} at t = 4 (sd = 3, eps = 1): {@code 0.5 x + 1.8 F}, scalar and per-sample times alike. */
    @Test
    void consistencyModelOutputCombinesInputAndNetworkWithThoseCoefficients() {
        ConsistencyParameterization p = new ConsistencyParameterization(3.0, 1.0);
        Tensor x = Tensor.of(new double[] {2.0, -4.0}, 2, 1);
        Tensor f = Tensor.of(new double[] {10.0, 5.0}, 2, 1);
        // 0.5*2 + 1.8*10 = 19;  0.5*(-4) + 1.8*5 = 7
        assertArrayEquals(new double[] {19.0, 7.0}, p.apply(x, 4.0, f).toDoubleArray(), 1e-13);
        // per sample: row 0 at t = 4 as above; row 1 at t = 1 (boundary) gives x itself
        Tensor t = Tensor.of(new double[] {4.0, 1.0}, 2);
        assertArrayEquals(new double[] {19.0, -4.0}, p.apply(x, t, f).toDoubleArray(), 1e-13);
    }

    /**
     * With eps = 0 the time 0 is allowed, and there {@code c_out = 0}, so F must be 0 too (finite), not
     * {@code (x_hat - x)/0}.
     */
    @Test
    void outputFromDenoiserAtTimeZeroIsZero() {
        ConsistencyParameterization noShift = new ConsistencyParameterization(0.5, 0.0);
        Tensor x = Tensor.of(new double[] {1.0, 2.0}, 1, 2);
        Tensor xHat = Tensor.of(new double[] {3.0, -1.0}, 1, 2);
        assertArrayEquals(new double[] {0.0, 0.0}, noShift.outputFromDenoiser(x, new double[] {0.0}, xHat).toDoubleArray(), 0.0);
    }

    /**
     * Improved CT's curriculum {@code N(k) = min(s0 2^floor(k/K'), s1) + 1}, {@code K' = floor(K/(log2(s1/s0) + 1))}:
     * s0 = 10, s1 = 1280, K = 400000 give log2(128) = 7 and K' = 50000, so N doubles every 50000 iterations.
     */
    @Test
    void improvedCurriculumDoublesEveryKPrimeIterations() {
        int[][] kAndN = {{0, 11}, {30_000, 11}, {49_999, 11}, {50_000, 21}, {100_000, 41}, {349_999, 641}, {350_000, 1281}};
        for (int[] kn : kAndN) {
            assertEquals(kn[1], ConsistencyParameterization.improvedConsistencyTrainingSteps(kn[0], 400_000, 10, 1280),
                    "k = " + kn[0]);
        }
        // K = 1 < log2(128) + 1 makes K' = 0: every stage is shorter than one iteration, so N starts at its maximum
        assertEquals(1281, ConsistencyParameterization.improvedConsistencyTrainingSteps(0, 1, 10, 1280));
    }

    /**
     * CT's curriculum {@code N(k) = ceil(sqrt(k/K ((s1 + 1)^2 - s0^2) + s0^2) - 1) + 1} at the smallest
     * valid arguments (K = 1, s0 = s1 = 1): k = 0 gives ceil(1 - 1) + 1 = 1, k = 1 gives
     * ceil(sqrt(4) - 1) + 1 = 2. At s0 = 2, s1 = 150, K = 1000, k = 500: sqrt(0.5 (22801 - 4) + 4) =
     * sqrt(11402.5) = 106.78, so N = 107.
     */
    @Test
    void trainingCurriculumAtItsSmallestArgumentsAndHalfway() {
        assertEquals(1, ConsistencyParameterization.consistencyTrainingSteps(0, 1, 1, 1));
        assertEquals(2, ConsistencyParameterization.consistencyTrainingSteps(1, 1, 1, 1));
        assertEquals(107, ConsistencyParameterization.consistencyTrainingSteps(500, 1000, 2, 150));
    }

    // ------------------------------------------------------------------ CTM

    /**
     * CTM (Kim et al. 2024, eq. 4): {@code G = (s/t) x + (1 - s/t) g}. At t = 4, s = 1, x = 2, g = 10:
     * {@code 1/4 * 2 + 3/4 * 10 = 8}; and the network output for G = 8 is g = (8 - 0.5)/0.75 = 10 back.
     */
    @Test
    void ctmIntegratorAtAnInteriorTimePair() {
        Tensor x = Tensor.of(new double[] {2.0}, 1);
        Tensor g = Tensor.of(new double[] {10.0}, 1);
        assertEquals(8.0, CtmParameterization.apply(x, 4.0, 1.0, g).item(), 1e-15);
        assertEquals(10.0, CtmParameterization.networkOutputFor(x, 4.0, 1.0, Tensor.of(new double[] {8.0}, 1)).item(), 1e-14);
        // per-sample: row 1 at s = t gives x exactly, whatever g is
        Tensor xs = Tensor.of(new double[] {2.0, 3.0}, 2);
        Tensor gs = Tensor.of(new double[] {10.0, 99.0}, 2);
        Tensor t = Tensor.of(new double[] {4.0, 2.0}, 2);
        Tensor s = Tensor.of(new double[] {1.0, 2.0}, 2);
        assertArrayEquals(new double[] {8.0, 3.0}, CtmParameterization.apply(xs, t, s, gs).toDoubleArray(), 1e-15);
    }

    // ------------------------------------------------------------------ DDIM

    /**
     * DDIM's noise scale (Song et al. 2021, eq. 16): {@code c = eta sqrt(sigma_t^2 - (alpha_t/alpha_s)^2 sigma_s^2) sigma_s/sigma_t}.
     * VP pair (alpha, sigma) = (0.6, 0.8) at t and (0.8, 0.6) at s: {@code 0.64 - 0.75^2 0.36 = 0.4375},
     * so c = 0.75 sqrt(0.4375) eta. At alpha_t = 0 (pure noise) and eta = 1, c = sigma_t sigma_s/sigma_t = sigma_s
     * exactly: the largest allowed noise, accepted.
     */
    @Test
    void ddimNoiseScaleAtAnInteriorPairAndAtItsLargestAllowedValue() {
        assertEquals(0.75 * Math.sqrt(0.4375), DdimStep.noiseScale(0.6, 0.8, 0.8, 0.6, 1.0), 1e-15);
        assertEquals(0.375 * Math.sqrt(0.4375), DdimStep.noiseScale(0.6, 0.8, 0.8, 0.6, 0.5), 1e-15);
        assertEquals(0.6, DdimStep.noiseScale(0.0, 1.0, 0.8, 0.6, 1.0), 0.0);
        // eta = 0 is deterministic: no alpha_s needed, even an invalid one
        assertEquals(0.0, DdimStep.noiseScale(0.6, 0.8, 0.0, 0.6, 0.0), 0.0);
    }

    /**
     * The stochastic step {@code z_s = alpha_s x_hat + sqrt(sigma_s^2 - c^2) eps_hat + c xi}, by hand at
     * the pair above with eta = 1: eps_hat = (z - 0.6 x_hat)/0.8; c^2 = 0.5625*0.4375 = 0.24609375,
     * sqrt(0.36 - c^2) = sqrt(0.11390625) = 0.3375. With z = 1, x_hat = 0.5, xi = 2:
     * eps_hat = 0.7/0.8 = 0.875, z_s = 0.4 + 0.3375*0.875 + 2c.
     */
    @Test
    void ddimStochasticStepByHandAndWithItsOwnNoise() {
        Tensor z = Tensor.of(new double[] {1.0}, 1, 1);
        Tensor xHat = Tensor.of(new double[] {0.5}, 1, 1);
        Tensor xi = Tensor.of(new double[] {2.0}, 1, 1);
        double c = 0.75 * Math.sqrt(0.4375);
        assertEquals(0.4 + 0.3375 * 0.875 + 2 * c, DdimStep.stochastic(z, xHat, 0.6, 0.8, 0.8, 0.6, 1.0, xi).item(), 1e-15);
        // drawing xi from an Rng is the same step with xi = randn(rng)
        Tensor drawn = Tensor.randn(DType.F64, new Rng(5L), 1, 1);
        assertEquals(DdimStep.stochastic(z, xHat, 0.6, 0.8, 0.8, 0.6, 1.0, drawn).item(),
                DdimStep.stochastic(z, xHat, 0.6, 0.8, 0.8, 0.6, 1.0, new Rng(5L)).item(), 0.0);
    }

    // ------------------------------------------------------------------ rectified flow

    /**
     * Straightness (Liu et al. 2023, Definition 2.3) of the piecewise-linear path through
     * Z = 0, 1, 1 at t = 0, 1/4, 1: chord Z_1 - Z_0 = 1, velocities 4 and 0, so
     * {@code S = 1/4 (1 - 4)^2 + 3/4 (1 - 0)^2 = 9/4 + 3/4 = 3}. The same path listed from t = 1 down
     * gives the same number.
     */
    @Test
    void straightnessOfABentPathByHand() {
        List<Tensor> up = List.of(scalarBatch(0.0), scalarBatch(1.0), scalarBatch(1.0));
        assertEquals(3.0, RectifiedFlow.straightness(up, new double[] {0.0, 0.25, 1.0}), 1e-15);
        List<Tensor> down = List.of(scalarBatch(1.0), scalarBatch(1.0), scalarBatch(0.0));
        assertEquals(3.0, RectifiedFlow.straightness(down, new double[] {1.0, 0.25, 0.0}), 1e-15);
        // the smallest valid trajectory, two states: a straight line, S = 0
        assertEquals(0.0, RectifiedFlow.straightness(List.of(scalarBatch(0.0), scalarBatch(5.0)), new double[] {0.0, 1.0}), 0.0);
    }

    /** {@code X_t = t X_1 + (1 - t) X_0} at t = 1/4 between 4 and 8: 2 + 3 = 5; Euler from t = 1 to 1/4 with v = 4: 8 - 3 = 5. */
    @Test
    void rectifiedFlowInterpolationAndEulerStepByHand() {
        Tensor x0 = scalarBatch(4.0);
        Tensor x1 = scalarBatch(8.0);
        assertEquals(5.0, RectifiedFlow.interpolate(x0, x1, 0.25).item(), 0.0);
        assertEquals(5.0, RectifiedFlow.eulerStep(x1, scalarBatch(4.0), 1.0, 0.25).item(), 0.0);
    }

    // ------------------------------------------------------------------ weights, distances, scores

    /** {@code snr = alpha^2/sigma^2}: (0.6, 0.8) gives 0.36/0.64 = 0.5625, below 1; the weightings of Salimans &amp; Ho 2022, section 4. */
    @Test
    void lossWeightsAtAnSnrBelowAndAboveOne() {
        assertEquals(0.5625, LossWeighting.SNR.weight(0.6, 0.8), 1e-15);
        assertEquals(1.0, LossWeighting.TRUNCATED_SNR.weight(0.6, 0.8), 0.0);
        assertEquals(1.5625, LossWeighting.SNR_PLUS_ONE.weight(0.6, 0.8), 1e-15);
        assertEquals(2.0, LossWeighting.SNR.weight(2.0), 0.0);
        assertEquals(2.0, LossWeighting.TRUNCATED_SNR.weight(2.0), 0.0);
        assertEquals(Math.E, LossWeighting.SNR.weightAtLogSnr(1.0), 1e-15);
    }

    /** Improved CT's pseudo-Huber constant {@code c = 0.00054 sqrt(d)}: d = 4 gives c = 0.00108; {@code sqrt(25 + c^2) - c} for (3, 4). */
    @Test
    void pseudoHuberConstantGrowsWithTheSquareRootOfTheDataSize() {
        Tensor a = Tensor.of(new double[] {3.0, 4.0}, 1, 2);
        double c = 0.00108;
        assertEquals(Math.sqrt(25.0 + c * c) - c, Distance.pseudoHuberFor(4).mean(a, a.zerosLike()).item(), 1e-15);
        assertEquals(Math.sqrt(25.0 + 0.00054 * 0.00054) - 0.00054, Distance.pseudoHuberFor(1).mean(a, a.zerosLike()).item(), 1e-15);
    }

    /** The delta score {@code -(x_t - alpha x)/sigma^2} per sample: (1 - 0.3)/0.64 = 1.09375 and (2 - 0.6)/0.64 = 2.1875. */
    @Test
    void perSampleDeltaScoreByHand() {
        Tensor xt = Tensor.of(new double[] {1.0, 2.0}, 1, 2);
        Tensor x = Tensor.of(new double[] {0.5, 1.0}, 1, 2);
        Tensor a = Tensor.of(new double[] {0.6}, 1);
        Tensor s = Tensor.of(new double[] {0.8}, 1);
        assertArrayEquals(new double[] {-1.09375, -2.1875}, ScoreDistillation.deltaFakeScore(xt, x, a, s).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {-1.09375, -2.1875}, ScoreDistillation.deltaFakeScore(xt, x, 0.6, 0.8).toDoubleArray(), 1e-15);
    }

    /** A rank-0 coefficient broadcasts as it is; a per-sample one becomes {@code [B, 1, ..., 1]}; d = numel/B. */
    @Test
    void perSampleShapesAndDataSize() {
        Tensor like = Tensor.zeros(DType.F64, 2, 3, 4);
        Tensor scalar = Tensor.scalar(2.0, DType.F64);
        assertSame(scalar, PerSample.broadcast(scalar, like));
        assertArrayEquals(new int[] {2, 1, 1}, PerSample.broadcast(Tensor.of(new double[] {1, 2}, 2), like).shape().dims());
        assertEquals(12, PerSample.dataSize(like));
        assertArrayEquals(new int[] {3, 1}, PerSample.flat(Tensor.zeros(DType.F64, 3)).shape().dims());
    }

    private static Tensor scalarBatch(double v) {
        return Tensor.of(new double[] {v}, 1, 1);
    }
}
