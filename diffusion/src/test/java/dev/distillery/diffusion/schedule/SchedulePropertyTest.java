package dev.distillery.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Properties of every schedule, checked over seeded random times (plain loops; a failure message
 * names the schedule, the seed and the input, so it can be replayed).
 */
class SchedulePropertyTest {
    private static final double EPS = Math.ulp(1.0);
    private static final long SEED = 20240607L;
    private static final int TRIES = 2000;

    static List<DiscreteSchedule> discreteSchedules() {
        List<DiscreteSchedule> all = new ArrayList<>();
        for (int steps : new int[] {10, 1000}) {
            all.add(DiscreteSchedules.linear(steps));
            all.add(DiscreteSchedules.scaledLinear(steps));
            all.add(DiscreteSchedules.cosine(steps));
            all.add(DiscreteSchedules.rescaleZeroTerminalSnr(DiscreteSchedules.linear(steps)));
            all.add(DiscreteSchedules.rescaleZeroTerminalSnr(DiscreteSchedules.scaledLinear(steps)));
            all.add(DiscreteSchedules.rescaleZeroTerminalSnr(DiscreteSchedules.cosine(steps)));
        }
        return all;
    }

    static List<NoiseSchedule> continuousSchedules() {
        List<NoiseSchedule> all = new ArrayList<>();
        all.add(ContinuousCosine.INSTANCE);
        all.add(LogSnrLinear.vdmDefault());
        all.add(new LogSnrLinear(20.0, -20.0));
        for (DiscreteSchedule s : discreteSchedules()) {
            all.add(s.asContinuous());
        }
        return all;
    }

    /**
     * alpha^2 + sigma^2 = 1. Continuous schedules: alpha and sigma each carry about one ulp (a
     * rounded argument, then cos/sin or sigmoid and sqrt), so the sum of squares is within 4 eps.
     * Discrete ones compute abar (a product) and 1 - abar (an expm1 of a sum of log1p) separately;
     * each has a relative error that grows like a random walk of half-ulp roundings, bounded by
     * {@code T eps / 2}; we allow {@code (T/2 + 4) eps}.
     */
    @Test
    void variancePreservingSchedulesHaveUnitTotalVariance() {
        SplittableRandom rng = new SplittableRandom(SEED);
        List<NoiseSchedule> analytic = List.of(ContinuousCosine.INSTANCE, LogSnrLinear.vdmDefault(), new LogSnrLinear(20, -20));
        for (NoiseSchedule s : analytic) {
            assertTrue(s.isVariancePreserving(), s + " is VP");
            for (int i = 0; i < TRIES; i++) {
                double t = i < 2 ? i : rng.nextDouble();
                double a = s.alpha(t);
                double g = s.sigma(t);
                double err = Math.abs(a * a + g * g - 1.0);
                assertTrue(err <= 4 * EPS, s + " seed " + SEED + " t=" + t + ": |alpha^2+sigma^2-1| = " + err);
            }
        }
        for (DiscreteSchedule d : discreteSchedules()) {
            NoiseSchedule s = d.asContinuous();
            assertTrue(s.isVariancePreserving(), s + " is VP");
            for (int i = 0; i < TRIES; i++) {
                double t = i < 2 ? i : rng.nextDouble();
                double a = s.alpha(t);
                double g = s.sigma(t);
                double err = Math.abs(a * a + g * g - 1.0);
                // the interpolation is a convex combination of grid values: the grid bound plus 4 eps
                assertTrue(err <= (d.steps() / 2.0 + 8) * EPS, s + " seed " + SEED + " t=" + t + ": |alpha^2+sigma^2-1| = " + err);
            }
        }
        for (DiscreteSchedule s : discreteSchedules()) {
            for (int t = 0; t <= s.steps(); t++) {
                double a = s.alpha(t);
                double g = s.sigma(t);
                double err = Math.abs(a * a + g * g - 1.0);
                assertTrue(err <= (s.steps() / 2.0 + 4) * EPS, s + " t=" + t + ": |alpha^2+sigma^2-1| = " + err / EPS + " eps");
            }
        }
    }

    @Test
    void logSnrIsStrictlyDecreasingOnTheGridAndNonIncreasingInBetween() {
        for (DiscreteSchedule s : discreteSchedules()) {
            for (int t = 1; t <= s.steps(); t++) {
                assertTrue(s.logSnr(t) < s.logSnr(t - 1), s + " t=" + t);
                assertTrue(s.alphaBar(t) < s.alphaBar(t - 1), s + " abar strictly decreasing at t=" + t);
            }
        }
        SplittableRandom rng = new SplittableRandom(SEED);
        for (NoiseSchedule s : continuousSchedules()) {
            for (int i = 0; i < TRIES; i++) {
                double t0 = rng.nextDouble();
                double t1 = Math.min(1.0, t0 + 1e-3 * rng.nextDouble());
                assertTrue(s.logSnr(t1) <= s.logSnr(t0), s + " seed " + SEED + " t0=" + t0 + " t1=" + t1);
            }
            assertTrue(s.logSnr(0.0) > s.logSnr(0.5) && s.logSnr(0.5) > s.logSnr(1.0), s.toString());
        }
    }

    /**
     * timeFromLogSnr(logSnr(t)) = t. The log-SNR is computed with absolute error about
     * {@code eps max(1, |lambda|)}, and the inverse maps that to t through
     * {@code |dt/dlambda|}; so the check is {@code |t' - t| <= 64 eps max(1, |lambda|) |dt/dlambda| + 1e-14}
     * with the slope estimated by a central difference, plus the bisection bracket (1e-14).
     */
    @Test
    void inverseMapsRoundTrip() {
        SplittableRandom rng = new SplittableRandom(SEED);
        for (NoiseSchedule s : continuousSchedules()) {
            for (int i = 0; i < TRIES; i++) {
                double t = 1e-6 + (1 - 2e-6) * rng.nextDouble();
                double lambda = s.logSnr(t);
                double h = 1e-7;
                double slope = 2 * h / Math.abs(s.logSnr(t - h) - s.logSnr(t + h)); // |dt/dlambda|
                double tol = 64 * EPS * Math.max(1.0, Math.abs(lambda)) * slope + 1e-14;
                double back = s.timeFromLogSnr(lambda);
                assertEquals(t, back, tol, s + " seed " + SEED + " t=" + t + " via logSnr " + lambda);
                double backEdm = s.timeFromSigmaEdm(s.sigmaEdm(t));
                assertEquals(t, backEdm, 2 * tol, s + " seed " + SEED + " t=" + t + " via sigmaEdm");
            }
            assertEquals(0.0, s.timeFromLogSnr(Double.POSITIVE_INFINITY), 0.0, s.toString());
            assertEquals(1.0, s.timeFromLogSnr(Double.NEGATIVE_INFINITY), 0.0, s.toString());
            assertEquals(0.0, s.timeFromSigmaEdm(0.0), 0.0, s.toString());
        }
        for (DiscreteSchedule s : discreteSchedules()) {
            for (int t = 0; t <= s.steps(); t++) {
                assertEquals(t, s.indexFromLogSnr(s.logSnr(t)), 1e-9 * s.steps(), s + " grid t=" + t);
            }
        }
    }

    /** The default bisection inverse agrees with the closed forms (to its 1e-14 bracket plus conditioning). */
    @Test
    void bisectionInverseAgreesWithClosedForm() {
        NoiseSchedule closed = ContinuousCosine.INSTANCE;
        NoiseSchedule bisected = new NoiseSchedule() {
            public double alpha(double t) { return closed.alpha(t); }
            public double sigma(double t) { return closed.sigma(t); }
            public double logSnr(double t) { return closed.logSnr(t); }
        };
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int i = 0; i < TRIES; i++) {
            double lambda = -30 + 60 * rng.nextDouble();
            assertEquals(closed.timeFromLogSnr(lambda), bisected.timeFromLogSnr(lambda), 2e-14, "lambda=" + lambda);
            double sEdm = Math.exp(-0.5 * lambda);
            assertEquals(closed.timeFromSigmaEdm(sEdm), bisected.timeFromSigmaEdm(sEdm), 2e-14, "sigmaEdm=" + sEdm);
        }
    }

    @Test
    void continuousCosineHasExactEndpoints() {
        ContinuousCosine c = ContinuousCosine.INSTANCE;
        assertEquals(0.0, c.alpha(1.0), 0.0, "alpha(1) must be exactly 0 (progressive distillation)");
        assertEquals(1.0, c.sigma(1.0), 0.0);
        assertEquals(1.0, c.alpha(0.0), 0.0);
        assertEquals(0.0, c.sigma(0.0), 0.0);
        assertEquals(Double.NEGATIVE_INFINITY, c.logSnr(1.0));
        assertEquals(Double.POSITIVE_INFINITY, c.logSnr(0.0));
        assertEquals(Double.POSITIVE_INFINITY, c.sigmaEdm(1.0));
        assertEquals(0.0, c.snr(1.0), 0.0);
        assertEquals(Math.sqrt(0.5), c.alpha(0.5), EPS);
        assertEquals(c.alpha(0.5), c.sigma(0.5), 0.0);
        assertEquals(1.0, c.sigmaEdm(0.5), 2 * EPS);
    }

    @Test
    void logSnrLinearHasExactEndpointsAndLinearLogSnr() {
        LogSnrLinear s = new LogSnrLinear(13.3, -5.0);
        assertEquals(13.3, s.logSnr(0.0), 0.0);
        assertEquals(-5.0, s.logSnr(1.0), 0.0);
        assertEquals(4.15, s.logSnr(0.5), 4 * EPS * 4.15);
        assertEquals(Math.exp(-0.5 * 4.15), s.sigmaEdm(0.5), 4 * EPS);
        assertEquals(Math.exp(4.15), s.snr(0.5), 8 * EPS * Math.exp(4.15));
    }

    @Test
    void zeroTerminalSnrRescaleZeroesTheLastAlphaAndKeepsTheFirst() {
        for (int steps : new int[] {2, 10, 1000, 4000}) {
            for (DiscreteSchedule base : List.of(DiscreteSchedules.linear(steps), DiscreteSchedules.scaledLinear(steps),
                    DiscreteSchedules.cosine(steps))) {
                DiscreteSchedule z = DiscreteSchedules.rescaleZeroTerminalSnr(base);
                assertEquals(0.0, z.alpha(steps), 0.0, z + " alpha(T)");
                assertEquals(1.0, z.beta(steps), 0.0, z + " beta_T");
                assertEquals(1.0, z.sigma(steps), 0.0, z + " sigma(T)");
                assertEquals(Double.NEGATIVE_INFINITY, z.logSnr(steps), z + " logSnr(T)");
                assertEquals(Double.POSITIVE_INFINITY, z.sigmaEdm(steps), z + " sigmaEdm(T)");
                assertEquals(base.alpha(1), z.alpha(1), 0.0, z + " alpha(1) unchanged");
                for (int t = 1; t <= steps; t++) {
                    assertTrue(z.alphaBar(t) < z.alphaBar(t - 1), z + " abar strictly decreasing at t=" + t);
                    assertTrue(!Double.isNaN(z.logSnr(t)) && !Double.isNaN(z.sigmaEdm(t)), z + " NaN at t=" + t);
                }
            }
        }
    }

    @Test
    void cosineBetasAreClippedAtMost0999() {
        for (int steps : new int[] {1, 2, 3, 10, 50, 1000, 4000}) {
            DiscreteSchedule s = DiscreteSchedules.cosine(steps);
            for (int t = 1; t <= steps; t++) {
                assertTrue(s.beta(t) > 0.0 && s.beta(t) <= 0.999, s + " beta_" + t + " = " + s.beta(t));
            }
            assertEquals(0.999, s.beta(steps), 0.0, s + ": f(T) = 0 forces the clip at t = T");
        }
    }

    @Test
    void karrasLevelsRunFromSigmaMaxToSigmaMinAndDecrease() {
        for (int n : new int[] {2, 3, 10, 18, 40, 256}) {
            for (double rho : new double[] {1.0, 3.0, 7.0}) {
                double[] s = KarrasSigmas.levels(n, 0.002, 80.0, rho);
                assertEquals(n, s.length);
                assertEquals(80.0, s[0], 0.0);
                assertEquals(0.002, s[n - 1], 0.0);
                for (int i = 1; i < n; i++) {
                    assertTrue(s[i] < s[i - 1], "n=" + n + " rho=" + rho + " i=" + i);
                }
            }
        }
        double[] edm = KarrasSigmas.levels(18);
        // rho = 1 is a linear ramp: a hand check of the formula.
        assertEquals(40.001, KarrasSigmas.levels(3, 0.002, 80.0, 1.0)[1], 1e-13);
        // rho = 7, n = 3, middle level: ((80^(1/7) + 0.002^(1/7)) / 2)^7.
        double mid = Math.pow((Math.pow(80.0, 1 / 7.0) + Math.pow(0.002, 1 / 7.0)) / 2, 7);
        assertEquals(mid, KarrasSigmas.levels(3)[1], 1e-13 * mid);
        assertEquals(80.0, edm[0], 0.0);
    }

    @Test
    void continuousViewOfADiscreteScheduleMatchesTheGrid() {
        for (DiscreteSchedule s : discreteSchedules()) {
            NoiseSchedule c = s.asContinuous();
            for (int t = 0; t <= s.steps(); t++) {
                double u = (double) t / s.steps();
                assertEquals(s.alpha(t), c.alpha(u), 4 * EPS, s + " alpha at t=" + t);
                assertEquals(s.sigma(t), c.sigma(u), 4 * EPS, s + " sigma at t=" + t);
            }
        }
    }
}
