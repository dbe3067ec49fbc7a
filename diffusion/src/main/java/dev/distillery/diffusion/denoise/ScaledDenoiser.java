package dev.distillery.diffusion.denoise;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import java.util.Objects;

/**
 * A denoiser trained on data divided by {@code scale} (e.g. the data std, so the network sees
 * unit-scale data), seen as a denoiser of the original data under the same VP schedule.
 *
 * <p>For original data x with {@code z_t = alpha(t) x + sigma(t) eps}, the scaled data
 * {@code x' = x / scale} satisfies {@code z_t / scale = alpha x' + (sigma / scale) eps}, i.e. it is
 * the scaled problem at the EDM noise level {@code sigma_edm' = sigma / (scale alpha)}. With
 * {@code c = 1 / sqrt(alpha^2 + sigma^2 / scale^2)}, {@code z' = c z / scale} is exactly the VP
 * latent of x' at the time {@code t' = schedule.timeFromSigmaEdm(sigma_edm')}, so
 * <pre>
 *   x0(z, t) = scale * inner.x0(c z / scale, t')
 * </pre>
 * with no approximation (t = 1 maps to t' = 1 and z' = z; t = 0 maps to t' = 0). eps, v and score
 * follow from x0 by the interface defaults. Samplers and distillers see an ordinary denoiser of the
 * original data with the inner schedule; only the network's own inputs are rescaled. Requires a
 * variance-preserving schedule.
 *
 * @param inner the denoiser of the scaled data
 * @param scale the data was divided by this before training (&gt; 0)
 */
public record ScaledDenoiser(Denoiser inner, double scale) implements Denoiser {

    public ScaledDenoiser {
        Objects.requireNonNull(inner, "inner");
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("ScaledDenoiser: scale must be finite and > 0, got " + scale);
        }
        if (!inner.schedule().isVariancePreserving()) {
            throw new IllegalArgumentException("ScaledDenoiser needs a variance-preserving schedule");
        }
    }

    @Override
    public NoiseSchedule schedule() {
        return inner.schedule();
    }

    @Override
    public Tensor x0(Tensor z, Tensor t, Condition c) {
        NoiseSchedule s = inner.schedule();
        double[] time = t.toDoubleArray();
        double[] zScale = new double[time.length];
        double[] inner_t = new double[time.length];
        for (int i = 0; i < time.length; i++) {
            double a = s.alpha(time[i]);
            double sg = s.sigma(time[i]);
            zScale[i] = 1.0 / (Math.sqrt(a * a + sg * sg / (scale * scale)) * scale);
            inner_t[i] = sg == 0 ? 0.0 : a == 0 ? 1.0 : s.timeFromSigmaEdm(sg / (scale * a));
        }
        Tensor zIn = z.mul(PerSample.of(zScale, z));
        Tensor tIn = Tensor.of(t.dtype(), inner_t, time.length);
        return inner.x0(zIn, tIn, c).mul(scale);
    }
}
