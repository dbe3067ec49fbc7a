package dev.distillery.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.schedule.DiscreteKarras;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import dev.distillery.diffusion.schedule.KarrasSigmas;
import dev.distillery.diffusion.schedule.NoiseSchedule;

import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Known answers for the diffusers scheduler options (docs/SCHEDULERS.md names each config key),
 * derived by hand from the formulas: timestep grids from their integer arithmetic, sampler steps on
 * a four-step schedule with betas (0.1, 0.2, 0.3, 0.4), so abar = (0.9, 0.72, 0.504, 0.3024), and a
 * denoiser whose x_hat is a fixed function of z.
 */
class DiffusersOptionsTest {
    private static final DiscreteSchedule FOUR = DiscreteSchedule.fromBetas("four", new double[] {0.1, 0.2, 0.3, 0.4});
    private static final double[] ABAR = {1, 0.9, 0.72, 0.504, 0.3024};
    private Backends.Scope scope;

    @BeforeEach
    void oracle() {
        scope = Backends.use(Backends.scalar());
    }

    @AfterEach
    void restore() {
        scope.close();
    }

    /** A denoiser on {@code s.asContinuous()} whose x_hat is {@code f(z)}. */
    private static Denoiser fixed(DiscreteSchedule s, UnaryOperator<Tensor> f) {
        NoiseSchedule cont = s.asContinuous();
        return new Denoiser() {
            @Override
            public NoiseSchedule schedule() {
                return cont;
            }

            @Override
            public Tensor x0(Tensor z, Tensor t, Condition c) {
                return f.apply(z);
            }
        };
    }

    private static double a(int t) {
        return Math.sqrt(ABAR[t]);
    }

    private static double s(int t) {
        return Math.sqrt(1 - ABAR[t]);
    }

    @Test
    void stepsOffsetShiftsLeadingStepsOnly() {
        // Stable Diffusion: T = 1000, n = 50, leading, steps_offset = 1: diffusers 981, 961, ..., 1
        int[] sd = TimestepSpacing.LEADING.steps(1000, 50, 1);
        assertEquals(50, sd.length);
        assertEquals(982, sd[0]);
        assertEquals(962, sd[1]);
        assertEquals(2, sd[49]);
        assertArrayEquals(TimestepSpacing.TRAILING.steps(1000, 50), TimestepSpacing.TRAILING.steps(1000, 50, 1));
        assertThrows(IllegalArgumentException.class, () -> TimestepSpacing.LEADING.steps(1000, 50, 20));
    }

    @Test
    void dpmSolverSpacingsDivideByNPlusOne() {
        // linspace(0, 999, 11) = 0, 99.9, ..., 999 rounded half to even: 499.5 -> 500, 599.4 -> 599
        assertArrayEquals(new int[] {1000, 900, 800, 700, 600, 501, 401, 301, 201, 101},
                TimestepSpacing.LINSPACE.dpmSolverSteps(1000, 10, 0));
        // floor(1000 / 11) = 90: diffusers 900, 810, ..., 90 (+ offset)
        assertArrayEquals(new int[] {902, 812, 722, 632, 542, 452, 362, 272, 182, 92},
                TimestepSpacing.LEADING.dpmSolverSteps(1000, 10, 1));
        assertArrayEquals(TimestepSpacing.TRAILING.steps(1000, 10), TimestepSpacing.TRAILING.dpmSolverSteps(1000, 10, 0));
    }

    @Test
    void ddimPreviousTimestepAsDiffusersComputesIt() {
        // linspace T = 1000, n = 10: diffusers k = 999, 888, ..., 111, 0; previous k - 100
        int[] steps = TimestepSpacing.LINSPACE.steps(1000, 10);
        DdimTimes d = DdimTimes.diffusers(steps, 1000, true);
        assertEquals(1.0, d.from()[0], 0.0);
        assertEquals(0.9, d.to()[0], 0.0);            // k' = 899 is our step 900
        assertEquals(0.889, d.from()[1], 0.0);
        assertEquals(0.789, d.to()[1], 0.0);          // not the next grid time 0.778
        assertEquals(0.001, d.from()[9], 0.0);
        assertEquals(0.0, d.to()[9], 0.0);            // k' = -100: set_alpha_to_one
        assertEquals(0.001, DdimTimes.diffusers(steps, 1000, false).to()[9], 0.0);   // alphas_cumprod[0]
        DdimTimes ours = DdimTimes.endingAtFirstStep(new int[] {4, 2}, 4);
        assertArrayEquals(new double[] {0.5, 0.25}, ours.to(), 0.0);
    }

    @Test
    void ddimClipsXHatAndUsesTheClippedOrTheModelsEps() {
        // z = (0.5, -1) at step 4, x_hat = 2 z = (1, -2), clip_sample_range 1.5: (1, -1.5); to step 2, eta 0:
        // z_2 = a_2 x_c + s_2 (z - a_4 x) / s_4 with x = x_c (use_clipped_model_output) or x = (1, -2)
        Denoiser d = fixed(FOUR, z -> z.mul(2.0));
        DdimTimes one = new DdimTimes(new double[] {1.0}, new double[] {0.5});
        Tensor z = Tensor.of(new double[] {0.5, -1.0}, 1, 2);
        double[] clipped = DdimSampler.sample(d, z, one, 0.0, X0Clipping.clip(1.5), true, Condition.NONE, null, null, null)
                .toDoubleArray();
        double[] model = DdimSampler.sample(d, z, one, 0.0, X0Clipping.clip(1.5), false, Condition.NONE, null, null, null)
                .toDoubleArray();
        assertArrayEquals(new double[] {0.8169086100869769, -1.3837485494989648}, clipped, 1e-15);
        assertArrayEquals(new double[] {0.8169086100869769, -1.2095531514620252}, model, 1e-15);
        double x = -1.5 * a(2) + s(2) * (-1.0 - a(4) * -2.0) / s(4);
        assertEquals(x, model[1], 1e-15);
    }

    @Test
    void dynamicThresholdingScalesByTheClampedQuantile() {
        Tensor x = Tensor.of(new double[] {0.5, -3, 2, 1, 0.1, 0.2, -0.3, 0.4, 10, -10, 10, 10}, 3, 2, 2);
        double[] y = X0Clipping.dynamicThreshold(0.5, 2.5).apply(x).toDoubleArray();
        // row 0: |x| sorted 0.5, 1, 2, 3; the median (position 1.5) is 1.5 -> clamp to [-1.5, 1.5] / 1.5
        // row 1: quantile 0.25 < 1 -> s = 1, unchanged; row 2: quantile 10 > sample_max_value -> s = 2.5
        assertArrayEquals(new double[] {1 / 3.0, -1, 1, 2 / 3.0, 0.1, 0.2, -0.3, 0.4, 1, -1, 1, 1}, y, 1e-15);
        assertEquals(2.75, X0Clipping.quantile(new double[] {4, 1, 2, 3}, 0.5 + 0.25 / 3), 1e-15);   // position 1.75 of 1, 2, 3, 4
    }

    @Test
    void stridedDdpmTakesTheRespacedPosteriorStepWithEachVarianceType() {
        // steps 4 -> 2: beta' = 1 - 0.3024 / 0.72 = 0.58, beta_tilde' = (0.28 / 0.6976) 0.58;
        // mean = sqrt(0.72) 0.58 / 0.6976 x_hat + sqrt(0.42) 0.28 / 0.6976 z
        Denoiser d = fixed(FOUR, z -> z.mul(0.5).add(0.25));
        Tensor z = Tensor.of(new double[] {0.8, -0.4}, 1, 2);
        RngKey key = new RngKey(7);
        double beta = 1 - 0.3024 / 0.72;
        double betaTilde = 0.28 / 0.6976 * beta;
        double[] xHat = {0.65, 0.05};
        double[] xi = Tensor.randn(DType.F64, key.fold(4).value(), 0L, 1, 2).toDoubleArray();
        for (DdpmVariance v : DdpmVariance.values()) {
            double var = v == DdpmVariance.FIXED_SMALL ? betaTilde : v == DdpmVariance.FIXED_LARGE ? beta
                    : Math.sqrt(beta * betaTilde);                     // learned_range with v = 0: geometric mean
            double[] got = DdpmSampler.sampleStrided(d, FOUR, new int[] {4, 2}, z, Condition.NONE, v,
                    (x, t) -> x.mul(0.0), X0Clipping.none(), key, null, null).toDoubleArray();
            double[] mid = new double[2];
            for (int j = 0; j < 2; j++) {
                double mean = Math.sqrt(0.72) * beta / 0.6976 * xHat[j] + Math.sqrt(1 - beta) * 0.28 / 0.6976 * z.toDoubleArray()[j];
                mid[j] = mean + Math.sqrt(var) * xi[j];
            }
            // 2 -> 0 (abar_0 = 1): beta' = 0.28, beta_tilde' = 0 clamped to 1e-20, mean = x_hat(mid); as
            // diffusers, noise is added at every step above our step 1
            double[] xi2 = Tensor.randn(DType.F64, key.fold(2).value(), 0L, 1, 2).toDoubleArray();
            double b2 = 1 - 0.72;
            double var2 = v == DdpmVariance.FIXED_SMALL ? 1e-20 : v == DdpmVariance.FIXED_LARGE ? b2 : Math.sqrt(b2 * 1e-20);
            for (int j = 0; j < 2; j++) {
                assertEquals(0.5 * mid[j] + 0.25 + Math.sqrt(var2) * xi2[j], got[j], 1e-14, v + " element " + j);
            }
        }
    }

    @Test
    void improvedDiffusionFixedLargeTakesThePosteriorVarianceOfIndexOneAtIndexZero() {
        // abar = 0.9, 0.72, 0.36: beta' = 1 - 0.72/0.9 = 0.2, 1 - 0.36/0.72 = 0.5;
        // index 0: beta_tilde'_1 = (1 - 0.9) / (1 - 0.72) * 0.2 = 0.1 / 0.28 * 0.2 = 0.0714285...
        double[] v = DdpmVariance.improvedDiffusionFixedLarge(new double[] {0.9, 0.72, 0.36});
        assertArrayEquals(new double[] {0.02 / 0.28, 0.2, 0.5}, v, 1e-15);
        assertThrows(IllegalArgumentException.class, () -> DdpmVariance.improvedDiffusionFixedLarge(new double[] {0.9}));
        assertThrows(IllegalArgumentException.class,
                () -> DdpmVariance.improvedDiffusionFixedLarge(new double[] {0.9, 0.95}));
        // the smallest grid (two steps), and each bound of abar's range: (0, 1], strictly decreasing
        assertArrayEquals(new double[] {(1 - 1.0) / (1 - 0.5) * 0.5, 0.5},
                DdpmVariance.improvedDiffusionFixedLarge(new double[] {1.0, 0.5}), 1e-15);
        assertArrayEquals(new double[] {0.5 / 0.75 * 0.5, 0.5},
                DdpmVariance.improvedDiffusionFixedLarge(new double[] {0.5, 0.25}), 1e-15);
        assertThrows(IllegalArgumentException.class,
                () -> DdpmVariance.improvedDiffusionFixedLarge(new double[] {1.1, 0.5}));
        assertThrows(IllegalArgumentException.class,
                () -> DdpmVariance.improvedDiffusionFixedLarge(new double[] {0.9, 0.0}));
        assertThrows(IllegalArgumentException.class,
                () -> DdpmVariance.improvedDiffusionFixedLarge(new double[] {0.9, 0.9}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DdpmVariance.improvedDiffusionFixedLarge(new double[] {0.9, 0.5, 0.6}));
        assertTrue(e.getMessage().contains("abar[1] = 0.5, abar[2] = 0.6"), e.getMessage());
    }

    @Test
    void stridedDdpmAddsNoNoiseAfterStepOne() {
        Denoiser d = fixed(FOUR, z -> z.mul(0.5));
        Tensor z = Tensor.of(new double[] {0.8, -0.4}, 1, 2);
        // step 1 -> 0: beta' = 0.1, mean = sqrt(1) 0.1 / 0.1 x_hat + sqrt(0.9) 0 z = x_hat
        double[] y = DdpmSampler.sampleStrided(d, FOUR, new int[] {1}, z, Condition.NONE, DdpmVariance.FIXED_LARGE, null,
                X0Clipping.none(), new RngKey(1), null, null).toDoubleArray();
        assertArrayEquals(new double[] {0.4, -0.2}, y, 1e-15);
    }

    @Test
    void lcmTimestepsAreTheKnownFourStepSchedule() {
        // T = 1000, original_inference_steps 50: c = 20, grid 999, 979, ..., 19; indices 0, 12, 25, 37
        assertArrayEquals(new int[] {1000, 760, 500, 260}, LcmSampler.steps(1000, 50, 4));
        assertArrayEquals(new int[] {1000}, LcmSampler.steps(1000, 50, 1));
        assertThrows(IllegalArgumentException.class, () -> LcmSampler.steps(1000, 50, 51));
    }

    @Test
    void lcmAndConsistencyModelBoundaryScalings() {
        LcmBoundary lcm = LcmBoundary.lcm();
        assertEquals(1.0, lcm.cSkip(0), 0.0);
        assertEquals(0.0, lcm.cOut(0), 0.0);
        // k = 1: u = 10, c_skip = 0.25 / 100.25, c_out = 10 / sqrt(100.25)
        assertEquals(0.25 / 100.25, lcm.cSkip(1), 1e-17);
        assertEquals(10 / Math.sqrt(100.25), lcm.cOut(1), 1e-16);
        LcmBoundary cm = LcmBoundary.consistencyModel(10, 0.5, 0.002);
        assertEquals(0.25 / (9.998 * 9.998 + 0.25), cm.cSkip(1), 1e-17);
        assertEquals(0.5 * 9.998 / Math.sqrt(100.25), cm.cOut(1), 1e-16);
    }

    @Test
    void lcmSamplerDenoisesThenRenoisesToTheNextStep() {
        // steps 4 -> 2 (timestep_scaling 1, so the boundary terms are visible): at step 4 (k = 3, u = 3)
        // x0 = c_out x_hat + c_skip z; z_2 = a_2 x0 + s_2 xi; at step 2 (k = 1) the result is its x0
        LcmBoundary b = new LcmBoundary(1.0, 0.5, 0.0, false);
        Denoiser d = fixed(FOUR, z -> z.mul(-1.0).add(1.0));
        Tensor z = Tensor.of(new double[] {0.3, 2.0}, 1, 2);
        RngKey key = new RngKey(3);
        double[] xi = Tensor.randn(DType.F64, key.fold(0).value(), 0L, 1, 2).toDoubleArray();
        double[] got = LcmSampler.sample(d, FOUR, new int[] {4, 2}, z, Condition.NONE, b, X0Clipping.none(), key, null, null)
                .toDoubleArray();
        for (int j = 0; j < 2; j++) {
            double zj = z.toDoubleArray()[j];
            double x0 = 3 / Math.sqrt(9.25) * (1 - zj) + 0.25 / 9.25 * zj;
            double z2 = a(2) * x0 + s(2) * xi[j];
            double expected = 1 / Math.sqrt(1.25) * (1 - z2) + 0.25 / 1.25 * z2;
            assertEquals(expected, got[j], 1e-15);
        }
    }

    @Test
    void diffusersViewGivesTheNetworkTheLogSigmaTimestepAndTheScaledInput() {
        // One Euler step from the middle Karras level of FOUR (between training levels 2 and 3) to 0:
        // the network must see diffusers' fractional timestep tau (0-based), i.e. our u = (tau + 1) / 4,
        // and x / sqrt(sigma^2 + 1); the schedule's own inverse gives another time off the grid.
        double sigma = DiscreteKarras.of(FOUR, 3, 7.0).sigmas()[1];
        double tau = DiscreteKarras.timestepOfSigma(FOUR, sigma);
        double[] seenT = new double[1];
        double[] seenZ = new double[1];
        NoiseSchedule cont = FOUR.asContinuous();
        Denoiser recording = new Denoiser() {
            @Override
            public NoiseSchedule schedule() {
                return cont;
            }

            @Override
            public Tensor x0(Tensor z, Tensor t, Condition c) {
                seenT[0] = t.toDoubleArray()[0];
                seenZ[0] = z.toDoubleArray()[0];
                return z.mul(0.0);
            }
        };
        Tensor x = Tensor.of(new double[] {2.0}, 1, 1);
        Tensor y = EulerSampler.sample(EdmView.diffusersDiscrete(recording, FOUR), x, new double[] {sigma, 0.0},
                Condition.NONE, null, null);
        assertEquals((tau + 1) / 4.0, seenT[0], 1e-15);
        assertEquals(2.0 / Math.sqrt(sigma * sigma + 1), seenZ[0], 1e-15);
        assertEquals(0.0, y.toDoubleArray()[0], 0.0);          // x + (0 - sigma) (x - 0) / sigma
        EulerSampler.sample(recording, x, new double[] {sigma, 0.0}, Condition.NONE, null, null);
        assertEquals(cont.timeFromSigmaEdm(sigma), seenT[0], 1e-15);
        assertTrue(Math.abs(seenT[0] - (tau + 1) / 4.0) > 1e-3, "the two readings differ off the grid");
    }

    @Test
    void karrasOnADiscreteScheduleInterpolatesTimestepsInLogSigma() {
        assertArrayEquals(new double[] {80.0}, KarrasSigmas.levels(1, 0.002, 80, 7), 0.0);
        // at a training level the timestep is its index; at the geometric mean of two neighbours, half way
        assertEquals(2.0, DiscreteKarras.timestepOfSigma(FOUR, FOUR.sigmaEdm(3)), 1e-12);
        double mid = Math.sqrt(FOUR.sigmaEdm(2) * FOUR.sigmaEdm(3));
        assertEquals(1.5, DiscreteKarras.timestepOfSigma(FOUR, mid), 1e-12);
        assertEquals(0.0, DiscreteKarras.timestepOfSigma(FOUR, 1e-3), 0.0);
        assertEquals(3.0, DiscreteKarras.timestepOfSigma(FOUR, 100.0), 0.0);
        DiscreteKarras.Grid g = DiscreteKarras.of(FOUR, 3, 7.0);
        assertEquals(FOUR.sigmaEdm(4), g.sigmas()[0], 1e-15);
        assertEquals(FOUR.sigmaEdm(1), g.sigmas()[2], 1e-15);
        assertArrayEquals(new double[] {3.0, DiscreteKarras.timestepOfSigma(FOUR, g.sigmas()[1]), 0.0}, g.timesteps(), 1e-12);
        // the middle Karras level: ((sqrt7(s_max) + sqrt7(s_min)) / 2)^7
        double r = (Math.pow(FOUR.sigmaEdm(4), 1 / 7.0) + Math.pow(FOUR.sigmaEdm(1), 1 / 7.0)) / 2;
        assertEquals(Math.pow(r, 7), g.sigmas()[1], 1e-14);
    }
}
