package dev.distillery.identities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import dev.distillery.diffusion.identities.ScheduleCase;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.distill.core.ConsistencyParameterization;
import dev.distillery.distill.core.DdimStep;
import dev.distillery.identities.MathGens.Batch;
import dev.distillery.proptest.Gen;
import dev.distillery.proptest.Gens;
import dev.distillery.proptest.Property;
import dev.distillery.proptest.PropertyFailure;
import dev.distillery.proptest.Tuple2;
import dev.distillery.proptest.Tuple3;
import dev.distillery.proptest.Tuple4;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Properties over the math's own inputs (times, schedules of every family, alpha_bar near 0 and 1,
 * shapes, data with outliers; {@link MathGens}), so that a wrong formula fails with the smallest
 * input that shows it. Each property compares the code with the paper's formula written
 * independently (another algebraic arrangement), at interior points, where the boundary identities
 * (I15, I16) cannot see a wrong coefficient. Tolerances follow from counting roundings, scaled by the
 * input's conditioning, as each Javadoc states ({@code EPS = 2^-52}).
 */
@ExtendWith(ScalarBackendExtension.class)
class MathInputPropertyTest {
    private static final double EPS = Math.ulp(1.0);

    /** Pairs of times, the first not after the second. */
    private record TimePair(double t, double s) {
    }

    private static Gen<TimePair> orderedTimes() {
        return MathGens.combine(v -> new TimePair(Math.max((Double) v.get(0), (Double) v.get(1)),
                Math.min((Double) v.get(0), (Double) v.get(1))), MathGens.times(), MathGens.times());
    }

    private static <A, B> Gen<Tuple2<A, B>> pairs(Gen<A> a, Gen<B> b) {
        return MathGens.combine(v -> new Tuple2<>(cast(v.get(0)), cast(v.get(1))), a, b);
    }

    private static <A, B, C> Gen<Tuple3<A, B, C>> triples(Gen<A> a, Gen<B> b, Gen<C> c) {
        return MathGens.combine(v -> new Tuple3<>(cast(v.get(0)), cast(v.get(1)), cast(v.get(2))), a, b, c);
    }

    private static <A, B, C, D> Gen<Tuple4<A, B, C, D>> quadruples(Gen<A> a, Gen<B> b, Gen<C> c, Gen<D> d) {
        return MathGens.combine(v -> new Tuple4<>(cast(v.get(0)), cast(v.get(1)), cast(v.get(2)), cast(v.get(3))),
                a, b, c, d);
    }

    @SuppressWarnings("unchecked")
    private static <X> X cast(Object o) {
        return (X) o;
    }

    /**
     * Every schedule is variance preserving and alpha does not increase with t:
     * {@code |alpha^2 + sigma^2 - 1| <= 8 eps} (each of alpha, sigma is a square root of a value known to
     * a few ulps; squaring doubles the relative error), and {@code alpha(t) <= alpha(s) (1 + 4 eps)} for s <= t.
     */
    @Test
    void everyScheduleIsVariancePreservingAndMonotoneAtEveryTime() {
        Property.forAll(pairs(MathGens.schedules(), orderedTimes())).tries(60).check(c -> {
            NoiseSchedule sch = c.first().schedule();
            double t = c.second().t();
            double s = c.second().s();
            double a = sch.alpha(t);
            double g = sch.sigma(t);
            assertTrue(Math.abs(a * a + g * g - 1) <= 8 * EPS, "alpha^2 + sigma^2 = " + (a * a + g * g));
            assertTrue(a <= sch.alpha(s) * (1 + 4 * EPS), "alpha(" + t + ") = " + a + " > alpha(" + s + ") = " + sch.alpha(s));
        });
    }

    /**
     * The continuous view of a discrete schedule interpolates abar linearly in the index x = tT
     * ({@code DiscreteSchedule.asContinuous}): {@code alpha(t)^2 = (1 - w) abar_k + w abar_{k+1}}, k = floor(x),
     * w = x - k. Both sides are a few roundings of values at most 1 apart from the square root:
     * tolerance {@code 8 eps}.
     */
    @Test
    void discreteSchedulesInterpolateAlphaBarLinearlyBetweenGridPoints() {
        Property.forAll(pairs(MathGens.discreteSchedules(), MathGens.times())).tries(60).check(c -> {
            DiscreteSchedule d = c.first().discrete();
            double x = c.second() * d.steps();
            int k = Math.min((int) Math.floor(x), d.steps() - 1);
            double w = x - k;
            double expected = (1 - w) * d.alphaBar(k) + w * d.alphaBar(k + 1);
            double a = d.asContinuous().alpha(c.second());
            assertEquals(expected, a * a, 8 * EPS, "abar at index " + x);
        });
    }

    /**
     * Consistency models (Song et al. 2023, Appendix C): the code's {@code c_skip}, {@code c_out} against
     * {@code 1/(1 + ((t - eps)/sd)^2)} and {@code (t - eps)/sqrt(1 + (t/sd)^2)}, the same formulas divided
     * through by sd^2 and sd. Each side is at most 6 roundings: relative tolerance {@code 16 eps}.
     * {@code f = c_skip x + c_out F} on data with outliers is then within {@code 4 eps (|c_skip x| + |c_out F|)}
     * of the sum of the two products.
     */
    @Test
    void consistencyCoefficientsMatchThePapersFormulaAtEveryTime() {
        Gen<Double> sigmaData = Gens.doublesEdgeFirst(0.05, 5.0, 0.5);
        Gen<Double> epsilon = Gens.doublesEdgeFirst(0.0, 0.1, 0.002);
        Property.forAll(quadruples(sigmaData, epsilon, MathGens.times(), MathGens.batches())).tries(60).check(c -> {
            double sd = c.first();
            double eps = c.second();
            double t = eps + c.third() * 80.0;
            ConsistencyParameterization p = new ConsistencyParameterization(sd, eps);
            double d = (t - eps) / sd;
            double skip = 1 / (1 + d * d);
            double out = (t - eps) / Math.sqrt(1 + (t / sd) * (t / sd));
            assertEquals(skip, p.cSkip(t), 16 * EPS * skip, "c_skip at t = " + t);
            assertEquals(out, p.cOut(t), 16 * EPS * out, "c_out at t = " + t);
            Batch b = c.fourth();
            double[] x = b.values();
            double[] f = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                f[i] = x[(i + 1) % x.length] * 0.5 - 1;
            }
            double[] got = p.apply(Tensor.of(x, b.shape()), t, Tensor.of(f, b.shape())).toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                double want = skip * x[i] + out * f[i];
                double scale = Math.abs(skip * x[i]) + Math.abs(out * f[i]);
                assertEquals(want, got[i], 4 * EPS * scale + 32 * EPS * scale, "f at element " + i);
            }
        });
    }

    /**
     * DDIM's noise scale (Song et al. 2021, eq. 16) for VP schedules:
     * {@code c^2 = eta^2 (sigma_s^2 / sigma_t^2)(1 - alpha_t^2 / alpha_s^2)}, compared as c^2. The code computes
     * {@code sigma_t^2 - (alpha_t/alpha_s)^2 sigma_s^2} instead, equal when alpha^2 + sigma^2 = 1; both carry
     * absolute errors of a few eps on terms at most 1 (and the schedules' own VP error, 8 eps), times
     * {@code eta^2 sigma_s^2/sigma_t^2}: tolerance {@code 64 eps eta^2 sigma_s^2 / sigma_t^2}. A target time with
     * {@code alpha_s = 0} (s = 1 on a zero-terminal-SNR schedule or the continuous cosine, an edge case) is outside
     * the step's domain, where {@code noiseScale} refuses it by design: such tries are discarded.
     */
    @Test
    void ddimNoiseScaleMatchesTheVpFormulaAtEveryPairOfTimes() {
        Property.forAll(triples(MathGens.schedules(), orderedTimes(), Gens.doublesEdgeFirst(0.0, 1.0))).tries(60).check(c -> {
            NoiseSchedule sch = c.first().schedule();
            double t = c.second().t();
            double s = c.second().s();
            double eta = c.third();
            double at = sch.alpha(t);
            double st = sch.sigma(t);
            double as = sch.alpha(s);
            double ss = sch.sigma(s);
            Assumptions.assumeTrue(as > 0, "alpha_s = 0: no DDIM step ends there");
            double ratio2 = ss * ss / (st * st);
            double expected = eta * eta * ratio2 * (1 - at * at / (as * as));
            double cc = DdimStep.noiseScale(at, st, as, ss, eta);
            assertEquals(expected, cc * cc, 64 * EPS * eta * eta * ratio2 + Double.MIN_NORMAL, "c^2");
        });
    }

    /**
     * The mixture's denoiser for one Gaussian N(mu, v) is the posterior mean
     * {@code mu + alpha v / (alpha^2 v + sigma^2) (z - alpha mu)} with {@code alpha^2 = abar},
     * {@code sigma^2 = 1 - abar}; the code goes through log-sum-exp over one component and per-component
     * covariances. Errors are a few roundings of each term: tolerance
     * {@code 32 eps (|mu| + |alpha v/C| (|z| + |alpha mu|))}, C = alpha^2 v + sigma^2, which grows with the
     * outliers in z as it must.
     */
    @Test
    void oneGaussiansDenoiserIsItsPosteriorMeanOnDataWithOutliers() {
        Gen<Double> means = MathGens.dataValues();
        Gen<Double> variances = Gens.doublesEdgeFirst(0.01, 4.0, 1.0);
        Property.forAll(quadruples(MathGens.alphaBars(), means, variances, MathGens.dataValues())).tries(60).check(c -> {
            double abar = c.first();
            double mu = c.second();
            double v = c.third();
            double z = c.fourth();
            double alpha = Math.sqrt(abar);
            double sigma = Math.sqrt(1 - abar);
            GaussianMixture m = new GaussianMixture(new double[] {1.0}, new double[][] {{mu}}, new double[][] {{v}});
            double cov = alpha * alpha * v + sigma * sigma;
            double want = mu + alpha * v / cov * (z - alpha * mu);
            double got = m.x0(Tensor.of(new double[] {z}, 1, 1), Tensor.of(new double[] {alpha}, 1),
                    Tensor.of(new double[] {sigma}, 1)).item();
            double scale = Math.abs(mu) + Math.abs(alpha * v / cov) * (Math.abs(z) + Math.abs(alpha * mu));
            assertEquals(want, got, 32 * EPS * scale, "E[x | z]");
        });
    }

    /**
     * What a wrong formula looks like to these properties: c_out with eps added instead of subtracted
     * fails at once, and the report shows a shrunk, readable time rather than a seed.
     */
    @Test
    void aWrongCoefficientFailsWithAShrunkTime() {
        ConsistencyParameterization p = new ConsistencyParameterization(0.5, 0.002);
        PropertyFailure failure = assertThrows(PropertyFailure.class, () -> Property.forAll(MathGens.times()).check(u -> {
            double t = 0.002 + 80 * u;
            double wrong = 0.5 * (t + 0.002) / Math.sqrt(0.25 + t * t);
            assertEquals(p.cOut(t), wrong, 16 * EPS * Math.abs(wrong));
        }));
        double shrunk = assertInstanceOf(Double.class, failure.shrunkValue());
        assertEquals(MathGens.MIN_TIME, shrunk, 0.0, "shrinks to the smallest time: " + failure.getMessage());
        assertTrue(failure.getMessage().contains("shrunk counterexample:   " + MathGens.MIN_TIME), failure.getMessage());
    }
}
