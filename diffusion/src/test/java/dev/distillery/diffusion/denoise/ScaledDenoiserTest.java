package dev.distillery.diffusion.denoise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.data.MixtureSpec;
import dev.distillery.diffusion.data.Toy2d;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import org.junit.jupiter.api.Test;

class ScaledDenoiserTest {

    /** The exact denoiser of the data divided by s, wrapped, is the exact denoiser of the data. */
    @Test
    void wrappedExactDenoiserOfScaledDataIsTheExactDenoiser() {
        MixtureSpec spec = Toy2d.gaussians25Spec();
        for (double s : new double[] {2.83, 0.5}) {
            double[][] m = new double[spec.k()][2];
            for (int k = 0; k < spec.k(); k++) {
                m[k][0] = spec.mean(k, 0) / s;
                m[k][1] = spec.mean(k, 1) / s;
            }
            Denoiser scaled = new ScaledDenoiser(new GaussianMixtureDenoiser(
                    GaussianMixture.of(MixtureSpec.equalWeights(m, spec.std(0) / s)), ContinuousCosine.INSTANCE), s);
            Denoiser exact = new GaussianMixtureDenoiser(GaussianMixture.of(spec), ContinuousCosine.INSTANCE);
            Tensor z = Tensor.randn(DType.F64, 3L, 0L, 64, 2).mul(3.0);
            for (double t : new double[] {0.0, 0.05, 0.3, 0.7, 0.99, 1.0}) {
                Tensor tt = PerSample.time(t, 64, DType.F64);
                double[] a = scaled.x0(z, tt, Condition.NONE).toDoubleArray();
                double[] b = exact.x0(z, tt, Condition.NONE).toDoubleArray();
                for (int i = 0; i < a.length; i++) {
                    assertEquals(b[i], a[i], 1e-7 * (1 + Math.abs(b[i])), "s = " + s + ", t = " + t + ", i = " + i);
                }
            }
        }
    }
}
