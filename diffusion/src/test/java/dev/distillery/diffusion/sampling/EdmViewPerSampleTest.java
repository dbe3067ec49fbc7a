package dev.distillery.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;

/**
 * Known answers for {@link EdmView}'s per-sample methods (one noise level per sample, as the
 * consistency models and CTM use them), on the continuous cosine schedule, where
 * {@code sigma_edm = tan(pi t / 2)}: t(1) = 1/2, t(sqrt 3) = 2/3 and {@code alpha(t(sigma)) = 1/sqrt(1 + sigma^2)}.
 * The denoiser {@code x_hat(z, t) = (1 + t) z} makes every step checkable by hand, with different
 * values per sample so that a swapped index or a shared level shows.
 */
class EdmViewPerSampleTest {

    private static final double R3 = Math.sqrt(3);
    private static final double[] SIGMA = {1.0, R3};

    /** {@code x_hat(z, t) = (1 + t) z} on the continuous cosine schedule. */
    private static final Denoiser LINEAR = new Denoiser() {
        @Override
        public NoiseSchedule schedule() {
            return ContinuousCosine.INSTANCE;
        }

        @Override
        public Tensor x0(Tensor z, Tensor t, Condition c) {
            return z.mul(t.reshape(t.dim(0), 1).add(1.0));
        }
    };

    /** {@code D(x; sigma) = (1 + t(sigma)) x / sqrt(1 + sigma^2)}. */
    private static double d(double x, double sigma) {
        double t = Math.atan(sigma) / (Math.PI / 2);
        return (1 + t) * x / Math.sqrt(1 + sigma * sigma);
    }

    @Test
    void timesAndVpLatentsArePerSample() {
        assertArrayEquals(new double[] {0.5, 2.0 / 3}, EdmView.times(ContinuousCosine.INSTANCE, SIGMA), 1e-15);
        Tensor x = Tensor.of(new double[] {2.0, 4.0}, 2, 1);
        assertArrayEquals(new double[] {2 / Math.sqrt(2), 2.0},
                EdmView.toVp(ContinuousCosine.INSTANCE, x, SIGMA).toDoubleArray(), 1e-15);
    }

    @Test
    void denoiseReadsEachSampleAtItsOwnLevel() {
        Tensor x = Tensor.of(new double[] {2.0, 4.0}, 2, 1);
        double[] got = new EdmView(LINEAR).denoise(x, SIGMA, Condition.NONE).toDoubleArray();
        assertArrayEquals(new double[] {1.5 * Math.sqrt(2), 2.0 * 5 / 3}, got, 1e-14);
        assertEquals(d(2.0, 1.0), got[0], 1e-14);
    }

    @Test
    void eulerStepIsTheOdeSlopeTimesEachSamplesStep() {
        Tensor x = Tensor.of(new double[] {2.0, 4.0}, 2, 1);
        double[] to = {0.5, 1.0};
        double[] got = new EdmView(LINEAR).euler(x, SIGMA, to, Condition.NONE).toDoubleArray();
        double[] xs = {2.0, 4.0};
        for (int i = 0; i < 2; i++) {
            double slope = (xs[i] - d(xs[i], SIGMA[i])) / SIGMA[i];
            assertEquals(xs[i] + slope * (to[i] - SIGMA[i]), got[i], 1e-14, "sample " + i);
        }
    }

    @Test
    void heunStepAveragesTheSlopesAtBothEnds() {
        Tensor x = Tensor.of(new double[] {2.0, 4.0}, 2, 1);
        double[] to = {0.5, 1.0};
        double[] got = new EdmView(LINEAR).heun(x, SIGMA, to, Condition.NONE).toDoubleArray();
        double[] xs = {2.0, 4.0};
        for (int i = 0; i < 2; i++) {
            double h = to[i] - SIGMA[i];
            double s1 = (xs[i] - d(xs[i], SIGMA[i])) / SIGMA[i];
            double e = xs[i] + s1 * h;
            double s2 = (e - d(e, to[i])) / to[i];
            assertEquals(xs[i] + 0.5 * h * (s1 + s2), got[i], 1e-14, "sample " + i);
        }
    }

    @Test
    void aGivenTimeMapReadsTheLevelWithTheVpInputScaling() {
        // the per-sample path of a view with its own sigma -> t map: t from the map, z = x / sqrt(1 + sigma^2)
        EdmView view = new EdmView(LINEAR, sigma -> 0.25 * sigma);
        Tensor x = Tensor.of(new double[] {2.0, 4.0}, 2, 1);
        double[] got = view.denoise(x, SIGMA, Condition.NONE).toDoubleArray();
        assertArrayEquals(new double[] {1.25 * 2 / Math.sqrt(2), (1 + 0.25 * R3) * 4 / 2}, got, 1e-14);
        double one = view.denoise(Tensor.of(new double[] {2.0}, 1, 1), R3, Condition.NONE).toDoubleArray()[0];
        assertEquals((1 + 0.25 * R3) * 2 / 2, one, 1e-14);
    }
}
