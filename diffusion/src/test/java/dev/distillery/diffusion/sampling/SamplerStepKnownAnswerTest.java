package dev.distillery.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.process.ModelVariance;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import dev.distillery.diffusion.schedule.EdmConfig;
import dev.distillery.diffusion.schedule.KarrasSigmas;
import dev.distillery.diffusion.schedule.NoiseSchedule;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every sampler's steps checked against an independent computation in plain doubles, written from
 * the papers' update rules rather than from the sampler's code, on data whose denoiser is known in
 * closed form: a single Gaussian N(mu, s^2), for which
 * <pre>
 *   E[x | z_t] = mu + alpha s^2 / (alpha^2 s^2 + sigma^2) (z_t - alpha mu)      (VP view)
 *   D(x; sigma_edm) = mu + s^2 / (s^2 + sigma_edm^2) (x - mu)                    (EDM view, x = z/alpha)
 * </pre>
 * The checks cover every intermediate state (the trajectory), the progress reports, and the
 * argument checks. Tolerances: the samplers reach the EDM view through the schedule's inverse
 * {@code t(sigma_edm)} (closed form for the cosine schedule, a few ulps), so states agree to 1e-12.
 */
@ExtendWith(ScalarBackendExtension.class)
class SamplerStepKnownAnswerTest {
    private static final double MU = 0.7;
    private static final double S2 = 0.16;
    private static final double TOL = 1e-12;
    private static final double[] START = {1.5, -2.0};

    private static Denoiser gaussian(NoiseSchedule schedule) {
        return new GaussianMixtureDenoiser(new GaussianMixture(new double[] {1.0}, new double[][] {{MU}},
                new double[][] {{S2}}), schedule);
    }

    /** The posterior mean of N(mu, s^2) data given z = alpha x + sigma eps. */
    private static double posteriorMean(double z, double alpha, double sigma) {
        return MU + alpha * S2 / (alpha * alpha * S2 + sigma * sigma) * (z - alpha * MU);
    }

    /** Karras et al.'s denoiser D(x; sigma) of N(mu, s^2) data. */
    private static double edmDenoiser(double x, double sigma) {
        return MU + S2 / (S2 + sigma * sigma) * (x - MU);
    }

    private static Tensor start() {
        return Tensor.of(START.clone(), 2, 1);
    }

    /** Records every progress report as "i/n". */
    private static final class Reports implements SamplerProgress {
        final List<String> seen = new ArrayList<>();

        @Override
        public void step(int i, int n) {
            seen.add(i + "/" + n);
        }

        static List<String> upTo(int n) {
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                out.add(i + "/" + n);
            }
            return out;
        }
    }

    private static void assertTrajectory(double[][] expected, List<Tensor> trajectory, Tensor result) {
        assertEquals(expected.length, trajectory.size(), "start plus one state per step");
        for (int k = 0; k < expected.length; k++) {
            assertArrayEquals(expected[k], trajectory.get(k).toDoubleArray(), TOL, "state " + k);
        }
        assertSame(result, trajectory.get(trajectory.size() - 1), "the result is the last state");
    }

    /**
     * DDIM (Song et al. 2021, eq. 12) with eta = 0.5, so that eta^2 and eta differ:
     * {@code z_s = alpha_s x_hat + sqrt(sigma_s^2 - c^2) eps_hat + c xi},
     * {@code c^2 = eta^2 (sigma_s^2 / sigma_t^2)(1 - alpha_t^2 / alpha_s^2)} (VP form), xi of step i from
     * {@code key.fold(i)}; the last time 0 returns x_hat.
     */
    @Test
    void ddimStepsMatchTheUpdateRuleComputedByHand() {
        NoiseSchedule sch = ContinuousCosine.INSTANCE;
        double[] times = {0.9, 0.5, 0.2, 0.0};
        double eta = 0.5;
        RngKey key = RngKey.of(11);
        double[][] expected = new double[times.length][];
        expected[0] = START.clone();
        for (int i = 0; i + 1 < times.length; i++) {
            double at = sch.alpha(times[i]);
            double st = sch.sigma(times[i]);
            double as = sch.alpha(times[i + 1]);
            double ss = sch.sigma(times[i + 1]);
            double c2 = ss == 0 ? 0 : eta * eta * (ss * ss / (st * st)) * (1 - at * at / (as * as));
            double[] xi = Tensor.randn(DType.F64, key.fold(i).value(), 0L, 2, 1).toDoubleArray();
            expected[i + 1] = new double[2];
            for (int b = 0; b < 2; b++) {
                double z = expected[i][b];
                double xHat = posteriorMean(z, at, st);
                double epsHat = (z - at * xHat) / st;
                expected[i + 1][b] = as * xHat + Math.sqrt(ss * ss - c2) * epsHat + Math.sqrt(c2) * xi[b];
            }
        }
        List<Tensor> trajectory = new ArrayList<>();
        Reports reports = new Reports();
        Tensor out = DdimSampler.sample(gaussian(sch), start(), times, eta, Condition.NONE, key, reports, trajectory);
        assertTrajectory(expected, trajectory, out);
        assertEquals(Reports.upTo(3), reports.seen);
    }

    /**
     * DDPM ancestral sampling (Ho et al. 2020, Algorithm 2 with the posterior mean of eq. 7) on the
     * schedule beta = (0.1, 0.2, 0.3): {@code x_{t-1} = c0 x_hat + ct x_t + sqrt(v) xi} with
     * {@code c0 = sqrt(abar_{t-1}) beta_t/(1 - abar_t)}, {@code ct = sqrt(1 - beta_t)(1 - abar_{t-1})/(1 - abar_t)},
     * {@code v = beta_t} or {@code beta_tilde = (1 - abar_{t-1})/(1 - abar_t) beta_t}, xi from {@code key.fold(t)}, and no noise at t = 1.
     */
    @Test
    void ddpmStepsMatchTheUpdateRuleComputedByHand() {
        double[] betas = {0.1, 0.2, 0.3};
        double[] abar = {1.0, 0.9, 0.9 * 0.8, 0.9 * 0.8 * 0.7};
        DiscreteSchedule sch = DiscreteSchedule.fromBetas("hand", betas);
        for (ModelVariance variance : ModelVariance.values()) {
            RngKey key = RngKey.of(5);
            double[][] expected = new double[4][];
            expected[0] = START.clone();
            for (int t = 3, k = 1; t >= 1; t--, k++) {
                double beta = betas[t - 1];
                double c0 = Math.sqrt(abar[t - 1]) * beta / (1 - abar[t]);
                double ct = Math.sqrt(1 - beta) * (1 - abar[t - 1]) / (1 - abar[t]);
                double v = variance == ModelVariance.BETA ? beta : (1 - abar[t - 1]) / (1 - abar[t]) * beta;
                double[] xi = Tensor.randn(DType.F64, key.fold(t).value(), 0L, 2, 1).toDoubleArray();
                expected[k] = new double[2];
                for (int b = 0; b < 2; b++) {
                    double x = expected[k - 1][b];
                    double xHat = posteriorMean(x, Math.sqrt(abar[t]), Math.sqrt(1 - abar[t]));
                    expected[k][b] = c0 * xHat + ct * x + (t > 1 ? Math.sqrt(v) * xi[b] : 0.0);
                }
            }
            List<Tensor> trajectory = new ArrayList<>();
            Reports reports = new Reports();
            Tensor out = DdpmSampler.sample(gaussian(sch.asContinuous()), sch, start(), Condition.NONE, variance, key,
                    reports, trajectory);
            assertTrajectory(expected, trajectory, out);
            assertEquals(Reports.upTo(3), reports.seen, variance.name());
        }
    }

    private static final double[] SIGMAS = {2.0, 1.0, 0.5, 0.0};

    /** Euler on the PF-ODE (Karras et al. 2022, Algorithm 1 without its correction): {@code x' = x + (s' - s)(x - D(x; s))/s}. */
    @Test
    void eulerStepsMatchTheUpdateRuleComputedByHand() {
        double[][] expected = new double[SIGMAS.length][2];
        expected[0] = START.clone();
        for (int i = 0; i + 1 < SIGMAS.length; i++) {
            for (int b = 0; b < 2; b++) {
                double x = expected[i][b];
                expected[i + 1][b] = x + (SIGMAS[i + 1] - SIGMAS[i]) * (x - edmDenoiser(x, SIGMAS[i])) / SIGMAS[i];
            }
        }
        List<Tensor> trajectory = new ArrayList<>();
        Reports reports = new Reports();
        Tensor out = EulerSampler.sample(gaussian(ContinuousCosine.INSTANCE), start(), SIGMAS, Condition.NONE, reports, trajectory);
        assertTrajectory(expected, trajectory, out);
        assertEquals(Reports.upTo(3), reports.seen);
    }

    /**
     * Heun (Karras et al. 2022, Algorithm 1): the Euler predictor, then the trapezoidal corrector
     * {@code x' = x + (s' - s)(d + d')/2}, except on the last step to sigma = 0, which stays Euler.
     */
    @Test
    void heunStepsMatchTheUpdateRuleComputedByHand() {
        double[][] expected = new double[SIGMAS.length][2];
        expected[0] = START.clone();
        for (int i = 0; i + 1 < SIGMAS.length; i++) {
            double h = SIGMAS[i + 1] - SIGMAS[i];
            for (int b = 0; b < 2; b++) {
                double x = expected[i][b];
                double d = (x - edmDenoiser(x, SIGMAS[i])) / SIGMAS[i];
                double euler = x + h * d;
                expected[i + 1][b] = SIGMAS[i + 1] == 0 ? euler
                        : x + h * (d + (euler - edmDenoiser(euler, SIGMAS[i + 1])) / SIGMAS[i + 1]) / 2;
            }
        }
        List<Tensor> trajectory = new ArrayList<>();
        Reports reports = new Reports();
        Tensor out = HeunSampler.sample(gaussian(ContinuousCosine.INSTANCE), start(), SIGMAS, Condition.NONE, reports, trajectory);
        assertTrajectory(expected, trajectory, out);
        assertEquals(Reports.upTo(3), reports.seen);
    }

    /**
     * DPM-Solver++(2M) (Lu et al. 2022, Algorithm 2, in sigma_edm): with {@code h_i = log(s_i/s_{i+1})},
     * {@code x_{i+1} = (s_{i+1}/s_i) x_i + (1 - s_{i+1}/s_i) D'_i}, where {@code D'_0 = D_0} and afterwards
     * {@code D'_i = (1 + 1/(2 r)) D_i - D_{i-1}/(2 r)}, {@code r = h_{i-1}/h_i}; the last step to 0 returns D.
     * The grid 2, 1, 0.25, 0 has unequal log-steps (r = log 2 / log 4 = 1/2), so r and 1/r differ.
     */
    @Test
    void dpmSolverStepsMatchTheUpdateRuleComputedByHand() {
        dpmSolverMatchesTheUpdateRule(new double[] {2.0, 1.0, 0.25, 0.0});
    }

    /**
     * The same rule on the grid 3, 1.5, 1.2, 0.3, 0, whose log-steps h = log 2, log 1.25, log 4 give
     * r = log 2 / log 1.25 = 3.106 and r = log 1.25 / log 4 = 0.161. On the grid above r = 1/2, where
     * 1/(2r) and 2r are both 1, so it cannot tell {@code 1/(2r)} from {@code 1 * (2r)}; here 1/(2r) =
     * 0.161 and 3.106 against 2r = 6.21 and 0.322.
     */
    @Test
    void dpmSolverStepsMatchTheUpdateRuleOnUnevenLogSteps() {
        dpmSolverMatchesTheUpdateRule(new double[] {3.0, 1.5, 1.2, 0.3, 0.0});
    }

    private static void dpmSolverMatchesTheUpdateRule(double[] sigmas) {
        double[][] expected = new double[sigmas.length][2];
        expected[0] = START.clone();
        double[] previous = null;
        double previousH = 0;
        for (int i = 0; i + 1 < sigmas.length; i++) {
            double[] denoised = new double[2];
            for (int b = 0; b < 2; b++) {
                denoised[b] = edmDenoiser(expected[i][b], sigmas[i]);
            }
            double h = Math.log(sigmas[i] / sigmas[i + 1]);
            for (int b = 0; b < 2; b++) {
                double target = previous == null ? denoised[b]
                        : (1 + 1 / (2 * previousH / h)) * denoised[b] - previous[b] / (2 * previousH / h);
                double ratio = sigmas[i + 1] / sigmas[i];
                expected[i + 1][b] = sigmas[i + 1] == 0 ? denoised[b] : ratio * expected[i][b] + (1 - ratio) * target;
            }
            previous = denoised;
            previousH = h;
        }
        List<Tensor> trajectory = new ArrayList<>();
        Reports reports = new Reports();
        Tensor out = DpmSolverPlusPlus2M.sample(gaussian(ContinuousCosine.INSTANCE), start(), sigmas, Condition.NONE, reports,
                trajectory);
        assertTrajectory(expected, trajectory, out);
        assertEquals(Reports.upTo(sigmas.length - 1), reports.seen);
    }

    /** DDIM's per-step coefficients at eta = 0.5 between (0.6, 0.8) and (0.8, 0.6): c^2 = 0.25 * 0.5625 * 0.4375. */
    @Test
    void ddimStepCoefficientsByHand() {
        DdimSampler.Step st = DdimSampler.Step.of(0.6, 0.8, 0.8, 0.6, 0.5);
        double c2 = 0.25 * 0.5625 * 0.4375;
        assertEquals(0.8, st.coefX(), 0.0);
        assertEquals(Math.sqrt(0.36 - c2), st.coefEps(), 1e-15);
        assertEquals(Math.sqrt(c2), st.noiseStd(), 1e-15);
    }

    /** Karras levels followed by 0: n + 1 values, the first sigma_max, the last 0. */
    @Test
    void karrasGridWithZeroAppendsTheFinalZero() {
        double[] grid = EdmView.karrasWithZero(5, EdmConfig.DEFAULTS);
        assertEquals(6, grid.length);
        assertArrayEquals(KarrasSigmas.levels(5, EdmConfig.DEFAULTS), java.util.Arrays.copyOf(grid, 5), 0.0);
        assertEquals(0.0, grid[5], 0.0);
    }

    @Test
    void samplersRejectGridsThatAreNotStrictlyDecreasingNonNegativeAndFinite() {
        Denoiser d = gaussian(ContinuousCosine.INSTANCE);
        double[][] bad = {{1.0}, {1.0, 1.0}, {0.5, 0.9}, {1.0, -0.5}, {Double.NaN, 0.0}, {Double.POSITIVE_INFINITY, 1.0}};
        for (double[] grid : bad) {
            String g = java.util.Arrays.toString(grid);
            assertThrows(IllegalArgumentException.class, () -> EulerSampler.sample(d, start(), grid, Condition.NONE, null, null), g);
            assertThrows(IllegalArgumentException.class, () -> HeunSampler.sample(d, start(), grid, Condition.NONE, null, null), g);
            assertThrows(IllegalArgumentException.class,
                    () -> DpmSolverPlusPlus2M.sample(d, start(), grid, Condition.NONE, null, null), g);
            assertThrows(IllegalArgumentException.class,
                    () -> DdimSampler.sample(d, start(), grid, 0.0, Condition.NONE, null, null, null), g);
        }
        assertThrows(IllegalArgumentException.class,
                () -> DdimSampler.sample(d, start(), new double[] {0.5, 0.0}, 1.0, Condition.NONE, null, null, null),
                "stochastic DDIM needs a key");
        // eta = 0 needs none, and a grid of two values is the shortest valid one
        assertEquals(2, DdimSampler.sample(d, start(), new double[] {0.5, 0.0}, 0.0, Condition.NONE, null, null, null).numel());
    }

    /** Four steps, beta = (0.1, 0.2, 0.3, 0.15): abar = (0.9, 0.72, 0.504, 0.4284); abar_0 = 1. */
    private static final double[] BETAS4 = {0.1, 0.2, 0.3, 0.15};
    private static final double[] ABAR4 = {1.0, 0.9, 0.72, 0.504, 0.504 * 0.85};

    /**
     * Respaced DDPM (Ho et al. 2020, eq. 7 on the chain 4 -> 2 -> 1 -> 0): {@code beta' = 1 - abar_t/abar_p},
     * {@code x_p = sqrt(abar_p) beta'/(1 - abar_t) x_hat + sqrt(1 - beta')(1 - abar_p)/(1 - abar_t) x_t + sqrt(beta') xi}
     * (FIXED_LARGE), xi from {@code key.fold(t)}, no noise at t = 1; the denoiser at time t/T = t/4, where
     * the continuous view's alpha is sqrt(abar_t) exactly. A stride of 2 then 1, so p != t - 1 and t/T != t*T.
     */
    @Test
    void stridedDdpmStepsMatchTheUpdateRuleComputedByHand() {
        DiscreteSchedule sch = DiscreteSchedule.fromBetas("four", BETAS4);
        int[] steps = {4, 2, 1};
        RngKey key = RngKey.of(29);
        double[][] expected = new double[4][];
        expected[0] = START.clone();
        for (int i = 0; i < 3; i++) {
            int t = steps[i];
            int p = i + 1 < 3 ? steps[i + 1] : 0;
            double beta = 1 - ABAR4[t] / ABAR4[p];
            double c0 = Math.sqrt(ABAR4[p]) * beta / (1 - ABAR4[t]);
            double ct = Math.sqrt(1 - beta) * (1 - ABAR4[p]) / (1 - ABAR4[t]);
            double[] xi = Tensor.randn(DType.F64, key.fold(t).value(), 0L, 2, 1).toDoubleArray();
            expected[i + 1] = new double[2];
            for (int b = 0; b < 2; b++) {
                double x = expected[i][b];
                double xHat = posteriorMean(x, Math.sqrt(ABAR4[t]), Math.sqrt(1 - ABAR4[t]));
                expected[i + 1][b] = c0 * xHat + ct * x + (t > 1 ? Math.sqrt(beta) * xi[b] : 0.0);
            }
        }
        List<Tensor> trajectory = new ArrayList<>();
        Reports reports = new Reports();
        Tensor out = DdpmSampler.sampleStrided(gaussian(sch.asContinuous()), sch, steps, start(), Condition.NONE,
                DdpmVariance.FIXED_LARGE, null, X0Clipping.none(), key, reports, trajectory);
        assertTrajectory(expected, trajectory, out);
        assertEquals(Reports.upTo(3), reports.seen);
        Denoiser d = gaussian(sch.asContinuous());
        assertThrows(IllegalArgumentException.class, () -> DdpmSampler.sampleStrided(d, sch, steps, start(), Condition.NONE,
                DdpmVariance.LEARNED_RANGE, null, X0Clipping.none(), key, null, null), "learned_range without its output");
        for (int[] bad : new int[][] {{4, 4, 1}, {2, 3}}) {
            assertThrows(IllegalArgumentException.class, () -> DdpmSampler.sampleStrided(d, sch, bad, start(), Condition.NONE,
                    DdpmVariance.FIXED_LARGE, null, X0Clipping.none(), key, null, null), java.util.Arrays.toString(bad));
        }
    }

    /**
     * LCM's multistep sampling (Luo et al. 2023; diffusers' LCMScheduler.step) on the chain 4 -> 2: at step t
     * the consistency function {@code f = c_skip(k) x + c_out(k) x_hat}, k = t - 1, with LCM's scalings
     * u = 10 k, {@code c_skip = 0.25/(u^2 + 0.25)}, {@code c_out = u/sqrt(u^2 + 0.25)}; then, except at the last
     * step, {@code x = alpha_p f + sigma_p xi} with xi from {@code key.fold(i)}. The result is the last f.
     */
    @Test
    void lcmStepsMatchTheUpdateRuleComputedByHand() {
        DiscreteSchedule sch = DiscreteSchedule.fromBetas("four", BETAS4);
        int[] steps = {4, 2};
        RngKey key = RngKey.of(31);
        double[][] expected = new double[3][];
        expected[0] = START.clone();
        for (int i = 0; i < 2; i++) {
            int t = steps[i];
            double u = 10.0 * (t - 1);
            double cSkip = 0.25 / (u * u + 0.25);
            double cOut = u / Math.sqrt(u * u + 0.25);
            double[] xi = Tensor.randn(DType.F64, key.fold(i).value(), 0L, 2, 1).toDoubleArray();
            expected[i + 1] = new double[2];
            for (int b = 0; b < 2; b++) {
                double x = expected[i][b];
                double f = cSkip * x + cOut * posteriorMean(x, Math.sqrt(ABAR4[t]), Math.sqrt(1 - ABAR4[t]));
                expected[i + 1][b] = i + 1 < 2 ? Math.sqrt(ABAR4[steps[i + 1]]) * f + Math.sqrt(1 - ABAR4[steps[i + 1]]) * xi[b] : f;
            }
        }
        List<Tensor> trajectory = new ArrayList<>();
        Reports reports = new Reports();
        Tensor out = LcmSampler.sample(gaussian(sch.asContinuous()), sch, steps, start(), Condition.NONE, LcmBoundary.lcm(),
                X0Clipping.none(), key, reports, trajectory);
        assertTrajectory(expected, trajectory, out);
        assertEquals(Reports.upTo(2), reports.seen);
    }
}
