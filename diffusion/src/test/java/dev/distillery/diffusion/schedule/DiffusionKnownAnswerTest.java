package dev.distillery.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.autograd.ArgumentChecks;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.loss.TimestepSampler;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.process.DiscretePosterior;
import dev.distillery.diffusion.process.DiscretizedGaussianDecoder;
import dev.distillery.diffusion.process.GaussianKl;
import dev.distillery.diffusion.process.ModelVariance;
import dev.distillery.diffusion.process.VariationalBound;
import dev.distillery.diffusion.sampling.TimestepSpacing;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Known answers of the diffusion math at interior points, by hand, and every argument check
 * observed (mutation testing found both unobserved: docs/MUTATION.md). The schedule used by hand is
 * {@code beta = (0.1, 0.2, 0.3)}: {@code abar = (1, 0.9, 0.72, 0.504)}, {@code 1 - abar = (0, 0.1, 0.28, 0.496)}.
 */
@ExtendWith(ScalarBackendExtension.class)
class DiffusionKnownAnswerTest {
    private static final DiscreteSchedule HAND = DiscreteSchedule.fromBetas("hand", new double[] {0.1, 0.2, 0.3});

    /**
     * {@code asContinuous()} interpolates abar linearly in the index x = uT (Javadoc there): u = 1/4 gives
     * x = 0.75, {@code 0.25 * 1 + 0.75 * 0.9 = 0.925}; u = 3/4 gives x = 2.25, {@code 0.75 * 0.72 + 0.25 * 0.504
     * = 0.666}, and {@code 1 - abar} the same way, {@code 0.75 * 0.28 + 0.25 * 0.496 = 0.334}. The weights are
     * asymmetric (1/4 against 3/4), so swapping them or a sign gives another number.
     */
    @Test
    void continuousViewInterpolatesAlphaBarLinearlyBetweenGridPoints() {
        NoiseSchedule c = HAND.asContinuous();
        assertEquals(0.925, c.alpha(0.25) * c.alpha(0.25), 1e-15);
        assertEquals(0.075, c.sigma(0.25) * c.sigma(0.25), 1e-15);
        assertEquals(0.666, c.alpha(0.75) * c.alpha(0.75), 1e-15);
        assertEquals(0.334, c.sigma(0.75) * c.sigma(0.75), 1e-15);
        assertEquals(0.504, c.alpha(1.0) * c.alpha(1.0), 1e-15);
        assertEquals(Math.log(0.666 / 0.334), c.logSnr(0.75), 1e-14);
    }

    /**
     * The inverse {@code indexFromLogSnr}: at the grid's ends exactly 0 and T, inside the continuous
     * index whose interpolated log-SNR it is. With beta = 1/2 throughout, abar = (1, 1/2, 1/4, 1/8) and
     * x = 2.5 has abar = 3/16 (so 1 - abar > 1/2, the other branch of the solver).
     */
    @Test
    void indexFromLogSnrInvertsTheInterpolation() {
        assertEquals(0.0, HAND.indexFromLogSnr(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(3.0, HAND.indexFromLogSnr(HAND.logSnr(3)), 0.0);
        assertEquals(3.0, HAND.indexFromLogSnr(-50.0), 0.0);
        assertEquals(0.75, HAND.indexFromLogSnr(Math.log(0.925 / 0.075)), 1e-14);
        assertEquals(2.25, HAND.indexFromLogSnr(Math.log(0.666 / 0.334)), 1e-14);
        DiscreteSchedule halves = DiscreteSchedule.fromBetas("halves", new double[] {0.5, 0.5, 0.5});
        assertEquals(2.5, halves.indexFromLogSnr(Math.log(0.1875 / 0.8125)), 1e-14);
        assertEquals(2.5, halves.indexFromSigmaEdm(Math.sqrt(0.8125 / 0.1875)), 1e-14);
        assertEquals(1.0 / 3.0, halves.snr(2), 1e-15);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, halves.betas(), 0.0);
    }

    /**
     * Near abar = 1 only {@code 1 - abar} is known to full relative precision, so the inverse must solve
     * with it: at x = 0.001 on the linear schedule (beta_1 = 1e-4), 1 - abar = 1e-7, and solving with
     * abar instead would lose about 1e-16/1e-7 of relative precision (an index error near 1e-12).
     */
    @Test
    void indexFromLogSnrKeepsFullPrecisionNearCleanData() {
        DiscreteSchedule linear = DiscreteSchedules.linear(1000);
        double lambda = linear.asContinuous().logSnr(0.001 / 1000);
        assertEquals(0.001, linear.indexFromLogSnr(lambda), 1e-15);
    }

    /** Names and descriptions are what tables and error messages print. */
    @Test
    void schedulesDescribeThemselves() {
        assertEquals("hand", HAND.name());
        assertEquals("DiscreteSchedule[hand, T = 3]", HAND.toString());
        assertEquals("Interpolated[DiscreteSchedule[hand, T = 3], abar linear between t/T]", HAND.asContinuous().toString());
        assertEquals("ContinuousCosine[alpha = cos(pi t/2), sigma = sin(pi t/2)]", ContinuousCosine.INSTANCE.toString());
    }

    /**
     * Zero terminal SNR (Lin et al. 2024, Algorithm 1) keeps abar_1, ends at abar_T = 0, and in between
     * shifts and scales sqrt(abar) linearly: {@code r_t' = (r_t - r_T) r_1/(r_1 - r_T)}. For HAND:
     * r = (sqrt(0.9), sqrt(0.72), sqrt(0.504)).
     */
    @Test
    void zeroTerminalSnrShiftsAndScalesSqrtAlphaBar() {
        DiscreteSchedule z = DiscreteSchedules.rescaleZeroTerminalSnr(HAND);
        double r1 = Math.sqrt(0.9);
        double r2 = Math.sqrt(0.72);
        double r3 = Math.sqrt(0.504);
        assertEquals(r1, z.alpha(1), 1e-15);
        assertEquals((r2 - r3) * r1 / (r1 - r3), z.alpha(2), 1e-14);
        assertEquals(0.0, z.alpha(3), 0.0);
    }

    /** Improved DDPM's cosine with offset 0 is still a schedule (the offset only has to be >= 0). */
    @Test
    void cosineAcceptsAZeroOffset() {
        assertDoesNotThrow(() -> DiscreteSchedules.cosine(10, 0.0));
    }

    /**
     * The diagonal Gaussian KL with scalar log-variances, {@code 1/2 (log v1/v0 + v0/v1 + (m0 - m1)^2/v1 - 1)}:
     * m0 = 1, m1 = 0.5, v0 = 1, v1 = e gives {@code 1/2 (1 + 1/e + 0.25/e - 1) = 0.625/e}, as the double form.
     */
    @Test
    void gaussianKlWithScalarLogVariancesByHand() {
        Tensor m0 = Tensor.of(new double[] {1.0}, 1);
        Tensor m1 = Tensor.of(new double[] {0.5}, 1);
        assertEquals(0.625 / Math.E, GaussianKl.diagonal(m0, 0.0, m1, 1.0).item(), 1e-15);
        assertEquals(0.625 / Math.E, GaussianKl.of(1.0, 1.0, 0.5, Math.E), 1e-15);
    }

    /** Variances of the reverse step: beta_t, or beta_tilde_t = (1 - abar_{t-1})/(1 - abar_t) beta_t = 0.28/0.496 * 0.3. */
    @Test
    void modelVariancesByHand() {
        assertEquals(0.3, ModelVariance.BETA.variance(HAND, 3), 0.0);
        assertEquals(0.28 / 0.496 * 0.3, ModelVariance.BETA_TILDE.variance(HAND, 3), 1e-15);
        assertEquals(Math.log(0.3), ModelVariance.BETA.logVarianceClipped(HAND, 3), 1e-15);
        assertEquals(Math.log(0.28 / 0.496 * 0.3), ModelVariance.BETA_TILDE.logVarianceClipped(HAND, 3), 1e-15);
        // t = 1: beta_tilde_1 = 0, clipped to beta_tilde_2 = 0.1/0.28 * 0.2
        assertEquals(Math.log(0.1 / 0.28 * 0.2), DiscretePosterior.logVarianceClipped(HAND, 1), 1e-15);
        DiscreteSchedule one = DiscreteSchedule.fromBetas("one", new double[] {0.25});
        assertEquals(Math.log(0.25), DiscretePosterior.logVarianceClipped(one, 1), 1e-15);
    }

    /** The bound's total is the sum of its three terms; bits per dim divide by D ln 2. */
    @Test
    void variationalBoundTermsAddUp() {
        VariationalBound.Terms terms = new VariationalBound.Terms(1.0, 2.0, 4.0, 2);
        assertEquals(7.0, terms.total(), 0.0);
        assertEquals(7.0 / (2 * Math.log(2)), terms.bitsPerDim(), 1e-15);
    }

    /** A mixture returns the parameters it was given, component by component and coordinate by coordinate. */
    @Test
    void mixtureKeepsItsParametersInPlace() {
        GaussianMixture m = new GaussianMixture(new double[] {0.25, 0.75},
                new double[][] {{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, new double[][] {{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}});
        assertEquals(2, m.components());
        assertEquals(3, m.dim());
        assertEquals(0.75, m.weight(1), 0.0);
        assertEquals(6.0, m.mean(1, 2), 0.0);
        assertEquals(2.0, m.mean(0, 1), 0.0);
        assertEquals(0.6, m.variance(1, 2), 0.0);
        assertEquals(0.2, m.variance(0, 1), 0.0);
    }

    /**
     * A class-conditional mixture's labels switch components: with two classes on two components of
     * weights 1/4, 3/4, label 0 keeps only component 0, whose posterior mean is its own; a label out of
     * range keeps every component with its weight, log(1/4) and log(3/4).
     */
    @Test
    void classConditionalMixtureUsesOnlyTheComponentsOfTheLabel() {
        GaussianMixture m = new GaussianMixture(new double[] {0.25, 0.75}, new double[][] {{-2.0}, {3.0}},
                new double[][] {{0.5}, {0.5}});
        GaussianMixtureDenoiser d = new GaussianMixtureDenoiser(m, ContinuousCosine.INSTANCE, new int[] {0, 1}, 2);
        Tensor z = Tensor.of(new double[] {0.3, 0.3}, 2, 1);
        Tensor t = Tensor.of(new double[] {0.5, 0.5}, 2);
        double a = ContinuousCosine.INSTANCE.alpha(0.5);
        double s = ContinuousCosine.INSTANCE.sigma(0.5);
        double only0 = -2.0 + a * 0.5 / (a * a * 0.5 + s * s) * (0.3 - a * -2.0);
        double only1 = 3.0 + a * 0.5 / (a * a * 0.5 + s * s) * (0.3 - a * 3.0);
        assertArrayEquals(new double[] {only0, only1}, d.x0(z, t, Condition.labels(0, 1)).toDoubleArray(), 1e-12);
        GaussianMixtureDenoiser plain = new GaussianMixtureDenoiser(m, ContinuousCosine.INSTANCE);
        assertArrayEquals(plain.x0(z, t, Condition.NONE).toDoubleArray(), d.x0(z, t, Condition.labels(-1, 2)).toDoubleArray(), 1e-12);
    }

    /** Training times: discrete ones uniform in 1..T, continuous ones in [0, 1), and t/T for the continuous view. */
    @Test
    void timestepSamplersStayInTheirRanges() {
        Rng rng = new Rng(3L);
        int[] steps = TimestepSampler.discreteUniform(rng, 2000, 3);
        assertEquals(1, Stream.of(steps).flatMapToInt(java.util.Arrays::stream).min().orElseThrow());
        assertEquals(3, Stream.of(steps).flatMapToInt(java.util.Arrays::stream).max().orElseThrow());
        double[] u = TimestepSampler.continuousUniform(rng, 2000);
        assertEquals(2000, u.length);
        for (double v : u) {
            assertEquals(0.5, v, 0.5, "in [0, 1]");
        }
        assertArrayEquals(new double[] {0.25, 1.0}, TimestepSampler.asContinuous(new int[] {1, 4}, 4, DType.F64).toDoubleArray(), 0.0);
    }

    /** The decoder's bin half-width is 1/(levels - 1); two levels is the smallest valid decoder. */
    @Test
    void decoderBinsByHand() {
        assertEquals(1.0, new DiscretizedGaussianDecoder(2).halfWidth(), 0.0);
        assertEquals(17, DiscretizedGaussianDecoder.digits().levels());
        assertEquals(0.0625, DiscretizedGaussianDecoder.digits().halfWidth(), 0.0);
    }

    /**
     * The discretized Gaussian likelihood (Ho et al. 2020, eq. 13) of an interior bin is
     * {@code log(Phi((x - m + h)/s) - Phi((x - m - h)/s))}; with x = m = 0, h = 1/16 (17 levels) and s = 1
     * that is {@code log(erf(h/sqrt 2))}. The edge bins integrate to the infinite side: at x = 1,
     * {@code log(1 - Phi((1 - h - m)/s))}.
     */
    @Test
    void discretizedLikelihoodByHand() {
        DiscretizedGaussianDecoder d = DiscretizedGaussianDecoder.digits();
        double h = 0.0625;
        Tensor x = Tensor.of(new double[] {0.0, 1.0}, 2);
        Tensor mean = Tensor.of(new double[] {0.0, 0.5}, 2);
        Tensor logScale = Tensor.zeros(DType.F64, 2);
        double[] ll = d.logLikelihood(x, mean, logScale).toDoubleArray();
        assertEquals(Math.log(org.apache.commons.math3.special.Erf.erf(h / Math.sqrt(2))), ll[0], 1e-12);
        double phi = 0.5 * (1 + org.apache.commons.math3.special.Erf.erf((1 - h - 0.5) / Math.sqrt(2)));
        assertEquals(Math.log(1 - phi), ll[1], 1e-12);
    }

    private static Map<String, Executable> rejected() {
        return Map.ofEntries(
                Map.entry("karras: sigma_min 0", () -> KarrasSigmas.levels(5, 0.0, 80.0, 7.0)),
                Map.entry("karras: sigma_min infinite", () -> KarrasSigmas.levels(5, Double.POSITIVE_INFINITY, 80.0, 7.0)),
                Map.entry("karras: sigma_max = sigma_min", () -> KarrasSigmas.levels(5, 1.0, 1.0, 7.0)),
                Map.entry("karras: sigma_max infinite", () -> KarrasSigmas.levels(5, 1.0, Double.POSITIVE_INFINITY, 7.0)),
                Map.entry("karras: rho 0", () -> KarrasSigmas.levels(5, 0.002, 80.0, 0.0)),
                Map.entry("karras: rho infinite", () -> KarrasSigmas.levels(5, 0.002, 80.0, Double.POSITIVE_INFINITY)),
                Map.entry("edm: sigma_min above sigma_max", () -> new EdmConfig(90.0, 80.0, 0.5, 7.0)),
                Map.entry("edm: sigma_data 0", () -> new EdmConfig(0.002, 80.0, 0.0, 7.0)),
                Map.entry("edm: sigma_data infinite", () -> new EdmConfig(0.002, 80.0, Double.POSITIVE_INFINITY, 7.0)),
                Map.entry("log-snr: max infinite", () -> new LogSnrLinear(Double.POSITIVE_INFINITY, -10.0)),
                Map.entry("log-snr: min infinite", () -> new LogSnrLinear(10.0, Double.NEGATIVE_INFINITY)),
                Map.entry("log-snr: min = max", () -> new LogSnrLinear(1.0, 1.0)),
                Map.entry("betas: beta 0", () -> DiscreteSchedule.fromBetas("x", new double[] {0.0, 0.5})),
                Map.entry("betas: beta 1 before the end", () -> DiscreteSchedule.fromBetas("x", new double[] {1.0, 0.5})),
                Map.entry("betas: none", () -> DiscreteSchedule.fromBetas("x", new double[0])),
                Map.entry("cosine: negative offset", () -> DiscreteSchedules.cosine(10, -0.1)),
                Map.entry("cosine: infinite offset", () -> DiscreteSchedules.cosine(10, Double.POSITIVE_INFINITY)),
                Map.entry("zero terminal SNR: one step", () -> DiscreteSchedules.rescaleZeroTerminalSnr(
                        DiscreteSchedule.fromBetas("x", new double[] {0.5}))),
                Map.entry("step index above T", () -> HAND.beta(4)),
                Map.entry("step index negative", () -> HAND.alphaBar(-1)),
                Map.entry("log-SNR NaN", () -> HAND.indexFromLogSnr(Double.NaN)),
                Map.entry("sigma_edm negative", () -> HAND.indexFromSigmaEdm(-1.0)),
                Map.entry("continuous time above 1", () -> HAND.asContinuous().alpha(1.5)),
                Map.entry("inverse of NaN", () -> MonotoneInverse.decreasingOnUnitInterval(t -> -t, Double.NaN)),
                Map.entry("spacing: n 0", () -> TimestepSpacing.LINSPACE.steps(10, 0)),
                Map.entry("spacing: n above T", () -> TimestepSpacing.TRAILING.steps(10, 11)),
                Map.entry("decoder: one level", () -> new DiscretizedGaussianDecoder(1)),
                Map.entry("mixture: no components", () -> new GaussianMixture(new double[0], new double[0][], new double[0][])),
                Map.entry("mixture: counts differ", () -> new GaussianMixture(new double[] {1.0}, new double[][] {{0}, {1}}, new double[][] {{1}})),
                Map.entry("mixture: variance counts differ", () -> new GaussianMixture(new double[] {1.0}, new double[][] {{0}}, new double[0][])),
                Map.entry("mixture: weight 0", () -> new GaussianMixture(new double[] {0.0, 1.0}, new double[][] {{0}, {1}}, new double[][] {{1}, {1}})),
                Map.entry("mixture: weights sum to 0.9", () -> new GaussianMixture(new double[] {0.4, 0.5}, new double[][] {{0}, {1}}, new double[][] {{1}, {1}})),
                Map.entry("mixture: mean length differs", () -> new GaussianMixture(new double[] {0.5, 0.5}, new double[][] {{0}, {1, 2}}, new double[][] {{1}, {1}})),
                Map.entry("mixture: variance length differs", () -> new GaussianMixture(new double[] {0.5, 0.5}, new double[][] {{0}, {1}}, new double[][] {{1}, {1, 2}})),
                Map.entry("mixture: variance 0", () -> new GaussianMixture(new double[] {1.0}, new double[][] {{0}}, new double[][] {{0.0}})),
                Map.entry("mixture: variance infinite", () -> new GaussianMixture(new double[] {1.0}, new double[][] {{0}}, new double[][] {{Double.POSITIVE_INFINITY}})),
                Map.entry("conditional mixture: class list of the wrong length", () -> new GaussianMixtureDenoiser(
                        new GaussianMixture(new double[] {1.0}, new double[][] {{0}}, new double[][] {{1}}), ContinuousCosine.INSTANCE, new int[] {0, 1}, 2)),
                Map.entry("conditional mixture: label without components", () -> new GaussianMixtureDenoiser(
                        new GaussianMixture(new double[] {1.0}, new double[][] {{0}}, new double[][] {{1}}), ContinuousCosine.INSTANCE, new int[] {0}, 2)
                        .x0(Tensor.zeros(DType.F64, 1, 1), Tensor.of(new double[] {0.5}, 1), Condition.labels(1))));
    }

    @TestFactory
    Stream<DynamicTest> invalidArgumentsAreRejected() {
        return ArgumentChecks.eachRejected(rejected());
    }

    /** The valid edge next to each check. */
    @Test
    void boundariesThatAreValidAreAccepted() {
        assertDoesNotThrow(() -> KarrasSigmas.levels(2, 0.5, 0.5000001, 7.0));
        assertDoesNotThrow(() -> DiscreteSchedule.fromBetas("x", new double[] {0.5, 1.0}));
        assertDoesNotThrow(() -> TimestepSpacing.LINSPACE.steps(10, 10));
        assertDoesNotThrow(() -> TimestepSpacing.LINSPACE.steps(10, 1));
        assertDoesNotThrow(() -> new GaussianMixture(new double[] {0.5, 0.5 + 1e-13}, new double[][] {{0}, {1}}, new double[][] {{1}, {1}}));
        assertEquals(0.5, MonotoneInverse.decreasingOnUnitInterval(t -> 1 - t, 0.5), 1e-14);
        assertEquals(0.0, MonotoneInverse.decreasingOnUnitInterval(t -> 1 - t, 1.0), 0.0);
        assertEquals(1.0, MonotoneInverse.decreasingOnUnitInterval(t -> 1 - t, 0.0), 0.0);
        assertEquals(0.3, MonotoneInverse.decreasingOnUnitInterval(t -> 1 - t * t, 0.91), 1e-13);
    }
}
