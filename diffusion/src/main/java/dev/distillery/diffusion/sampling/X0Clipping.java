package dev.distillery.diffusion.sampling;

import dev.distillery.autograd.Tensor;

import java.util.Arrays;

/**
 * What a sampler does to its predicted clean sample x_hat before using it, as diffusers'
 * schedulers' config keys choose:
 * <ul>
 *   <li>{@link #none()}: nothing ({@code clip_sample = false, thresholding = false});</li>
 *   <li>{@link #clip(double)}: {@code clamp(x_hat, -r, r)} ({@code clip_sample = true},
 *       {@code clip_sample_range = r});</li>
 *   <li>{@link #dynamicThreshold(double, double)}: Imagen's dynamic thresholding (Saharia et al.
 *       2022, section 2.3): per sample, s = the {@code ratio}-quantile of |x_hat| over all its
 *       elements (linear interpolation, as {@code torch.quantile}), {@code s = clamp(s, 1, max)},
 *       {@code x_hat = clamp(x_hat, -s, s) / s} ({@code thresholding = true},
 *       {@code dynamic_thresholding_ratio}, {@code sample_max_value}).</li>
 * </ul>
 */
@FunctionalInterface
public interface X0Clipping {
    Tensor apply(Tensor xHat);

    static X0Clipping none() {
        return x -> x;
    }

    static X0Clipping clip(double range) {
        if (!(range > 0)) {
            throw new IllegalArgumentException("clip_sample_range = " + range + "; must be > 0");
        }
        return x -> x.clamp(-range, range);
    }

    static X0Clipping dynamicThreshold(double ratio, double sampleMaxValue) {
        if (!(ratio >= 0 && ratio <= 1) || !(sampleMaxValue >= 1)) {
            throw new IllegalArgumentException("dynamic thresholding: ratio " + ratio + " must be in [0, 1] and"
                    + " sample_max_value " + sampleMaxValue + " >= 1");
        }
        return x -> {
            int batch = x.dim(0);
            int per = x.numel() / batch;
            double[] v = x.toDoubleArray();
            double[] out = new double[v.length];
            for (int b = 0; b < batch; b++) {
                double[] abs = new double[per];
                for (int j = 0; j < per; j++) {
                    abs[j] = Math.abs(v[b * per + j]);
                }
                double s = Math.min(sampleMaxValue, Math.max(1.0, quantile(abs, ratio)));
                for (int j = 0; j < per; j++) {
                    out[b * per + j] = Math.min(s, Math.max(-s, v[b * per + j])) / s;
                }
            }
            return Tensor.of(x.dtype(), out, x.shape().dims());
        };
    }

    /** The q-quantile with linear interpolation between order statistics (torch.quantile's default). */
    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
