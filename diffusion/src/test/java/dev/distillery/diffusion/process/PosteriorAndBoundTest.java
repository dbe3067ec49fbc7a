package dev.distillery.diffusion.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import dev.distillery.diffusion.schedule.DiscreteSchedules;
import org.junit.jupiter.api.Test;

/** Known answers for the posterior coefficients, the KL, the discretized decoder and the VLB. */
class PosteriorAndBoundTest {

    @Test
    void discretePosteriorCoefficientsMatchHandFormulas() {
        DiscreteSchedule s = DiscreteSchedules.linear(1000);
        double b1 = s.beta(1);
        double b2 = s.beta(2);
        double abar1 = 1 - b1;
        double abar2 = (1 - b1) * (1 - b2);
        assertEquals(Math.sqrt(abar1) * b2 / (1 - abar2), DiscretePosterior.meanCoefX0(s, 2), 1e-12);
        assertEquals(Math.sqrt(1 - b2) * (1 - abar1) / (1 - abar2), DiscretePosterior.meanCoefXt(s, 2), 1e-12);
        assertEquals((1 - abar1) / (1 - abar2) * b2, DiscretePosterior.variance(s, 2), 1e-16);
        assertEquals(1.0, DiscretePosterior.meanCoefX0(s, 1), 1e-15);
        assertEquals(0.0, DiscretePosterior.meanCoefXt(s, 1));
        assertEquals(0.0, DiscretePosterior.variance(s, 1));
        assertEquals(Math.log(DiscretePosterior.variance(s, 2)), DiscretePosterior.logVarianceClipped(s, 1));
    }

    @Test
    void continuousPosteriorKnownAnswer() {
        // alpha_s = 0.8, sigma_s = 0.6, alpha_t = 0.6, sigma_t = 0.8 (VP): alpha_{t|s} = 0.75,
        // sigma_{t|s}^2 = 0.64 - 0.5625 * 0.36 = 0.4375.
        ContinuousPosterior p = ContinuousPosterior.of(0.8, 0.6, 0.6, 0.8);
        assertEquals(0.75 * 0.36 / 0.64, p.coefZ(), 1e-15);
        assertEquals(0.8 * 0.4375 / 0.64, p.coefX(), 1e-15);
        assertEquals(0.4375 * 0.36 / 0.64, p.variance(), 1e-15);
        assertEquals(0.4375, ContinuousPosterior.Transition.between(0.8, 0.6, 0.6, 0.8).varianceTs(), 1e-15);
    }

    @Test
    void gaussianKlKnownAnswers() {
        assertEquals(0.0, GaussianKl.of(0.3, 2.0, 0.3, 2.0), 1e-15);
        assertEquals(0.5, GaussianKl.of(1.0, 1.0, 0.0, 1.0), 1e-15);
        assertEquals(0.5 * (Math.log(4.0) + 0.25 - 1), GaussianKl.of(0.0, 1.0, 0.0, 4.0), 1e-15);
        try (var s = Backends.use(Backends.scalar())) {
            Tensor kl = GaussianKl.diagonal(Tensor.of(new double[] {1.0}, 1), Tensor.of(new double[] {0.0}, 1),
                    Tensor.of(new double[] {0.0}, 1), Tensor.of(new double[] {Math.log(4.0)}, 1));
            assertEquals(GaussianKl.of(1.0, 1.0, 0.0, 4.0), kl.item(), 1e-15);
        }
    }

    @Test
    void discretizedDecoderSumsToOneOverTheSeventeenBins() {
        try (var s = Backends.use(Backends.scalar())) {
            DiscretizedGaussianDecoder dec = DiscretizedGaussianDecoder.digits();
            for (double[] ms : new double[][] {{0.1, -2.0}, {-0.93, -1.0}, {0.99, -4.0}, {0.0, 0.5}}) {
                double[] grid = new double[17];
                for (int i = 0; i < 17; i++) {
                    grid[i] = -1 + 2.0 * i / 16;
                }
                Tensor x = Tensor.of(grid, 17);
                Tensor lp = dec.logLikelihood(x, x.fullLike(ms[0]), x.fullLike(ms[1]));
                double total = 0;
                for (double v : lp.toDoubleArray()) {
                    total += Math.exp(v);
                }
                assertEquals(1.0, total, 1e-9, "mean " + ms[0] + ", log scale " + ms[1]);
            }
        }
    }

    /**
     * Data: 4 equally likely points of the 17-level grid in D = 2, so H = 1 bit per dimension; the
     * exact teacher (a mixture with std 0.01 on those points) must give a bound of at least about 1
     * bpd (cross-entropy >= entropy; the estimate is noisy) and not far above it.
     */
    @Test
    void variationalBoundOfTheExactTeacherIsNearTheDataEntropy() {
        try (var s = Backends.use(Backends.scalar())) {
            double[][] pts = {{-1, -1}, {-0.5, 0.25}, {0.5, 0.875}, {1, -0.125}};
            double[][] var = new double[4][2];
            for (double[] v : var) {
                java.util.Arrays.fill(v, 1e-4);
            }
            DiscreteSchedule sch = DiscreteSchedules.linear(1000);
            var teacher = new GaussianMixtureDenoiser(new GaussianMixture(new double[] {0.25, 0.25, 0.25, 0.25}, pts, var),
                    sch.asContinuous());
            double[] data = new double[32];
            for (int i = 0; i < 16; i++) {
                data[2 * i] = pts[i % 4][0];
                data[2 * i + 1] = pts[i % 4][1];
            }
            VariationalBound.Terms terms = VariationalBound.evaluate(teacher, sch, Tensor.of(DType.F64, data, 16, 2),
                    Condition.NONE, ModelVariance.BETA_TILDE, DiscretizedGaussianDecoder.digits(), RngKey.of(5));
            System.out.printf("VLB: prior %.3e, diffusion %.4f, decoder %.4f nats; %.4f bits/dim%n", terms.prior(),
                    terms.diffusion(), terms.decoder(), terms.bitsPerDim());
            assertTrue(terms.prior() < 1e-3, "L_T " + terms.prior());
            assertTrue(terms.bitsPerDim() > 0.9 && terms.bitsPerDim() < 1.3, "bpd " + terms.bitsPerDim());
        }
    }
}
