package dev.distillery.distill.core;

import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.autograd.Tensor;

import java.util.List;
import java.util.function.Function;

/**
 * A distance in the feature space of a frozen network, the stand-in for LPIPS (Zhang et al. 2018,
 * eq. 1) used by consistency models:
 * <pre>
 *   d(a, b) = sum_l mean_{j} (phi_l(a)_j - phi_l(b)_j)^2
 * </pre>
 * where {@code phi_l} is layer l of {@code features} (each {@code [B, ...]}). With
 * {@code normalize}, each feature vector is first divided by its Euclidean norm over the
 * channel axis 1 (LPIPS's unit-normalization in the channel dimension; a small 1e-10 keeps zero
 * vectors finite). LPIPS's learned per-channel weights are all 1 here. The feature network
 * should be frozen; gradients flow through it to the inputs.
 *
 * @param features the feature maps of a batch, one tensor per layer
 * @param normalize unit-normalize along axis 1 before comparing
 */
public record FeatureDistance(Function<Tensor, List<Tensor>> features, boolean normalize) implements Distance {

    @Override
    public Tensor perSample(Tensor a, Tensor b) {
        List<Tensor> fa = features.apply(a);
        List<Tensor> fb = features.apply(b);
        if (fa.size() != fb.size() || fa.isEmpty()) {
            throw new IllegalArgumentException("feature function returned " + fa.size() + " and " + fb.size()
                    + " layers; it must return the same non-zero number for both inputs");
        }
        Tensor total = null;
        for (int l = 0; l < fa.size(); l++) {
            Tensor x = fa.get(l);
            Tensor y = fb.get(l);
            if (normalize) {
                x = unit(x);
                y = unit(y);
            }
            Tensor d = PerSample.mean(x.sub(y).square());
            total = total == null ? d : total.add(d);
        }
        return total;
    }

    private static Tensor unit(Tensor f) {
        if (f.rank() < 2) {
            throw new IllegalArgumentException("normalize needs features of rank >= 2 [B, C, ...], got " + f.shape());
        }
        return f.div(f.square().sum(1, true).add(1e-20).sqrt());
    }
}
