package dev.distillery.distill.gan;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.models.DiscriminatorConfig;
import dev.distillery.nn.models.DiscriminatorHeads;
import dev.distillery.nn.models.FeatureExtractor;
import dev.distillery.nn.models.ModelInput;

import java.util.ArrayList;
import java.util.List;

/**
 * A discriminator {@code D_k(F_k(x))}: trainable heads (nn {@link DiscriminatorHeads}, optionally
 * time- and class-conditioned by projection) over a frozen feature network F (ADD, Sauer et al.
 * 2023, section 3.2). Head k returns a logit map; each patch is one logit.
 */
public final class Discriminator {
    private final FeatureExtractor features;
    private final DiscriminatorHeads heads;

    public Discriminator(FeatureExtractor features, DiscriminatorHeads heads) {
        if (!features.featureChannels().equals(heads.config().featureChannels())) {
            throw new IllegalArgumentException("heads for channels " + heads.config().featureChannels()
                    + " over features with channels " + features.featureChannels());
        }
        this.features = features;
        this.heads = heads;
    }

    /** Heads of width {@code hidden} over {@code features}, time-conditioned when {@code timeDim > 0}. */
    public static Discriminator over(FeatureExtractor features, int hidden, int timeDim, double timeScale,
                                     dev.distillery.autograd.DType dtype, long seed) {
        return new Discriminator(features, new DiscriminatorConfig(features.featureChannels(), hidden, 0, timeDim,
                timeScale, dtype, seed).build());
    }

    /**
     * Heads of width {@code hidden} over a frozen random MLP on flat data of {@code inDim} values
     * (its input included as a feature): the feature network of the 2-D demos, in place of a
     * pretrained network such as ADD's DINOv2 ({@link FeatureNetworks#randomMlp}).
     */
    public static Discriminator overRandomFeatures(int inDim, int width, int layers, int hidden,
                                                   dev.distillery.autograd.DType dtype, long seed) {
        return over(FeatureNetworks.randomMlp(inDim, width, layers, true, dtype, seed), hidden, 0, 1.0, dtype, seed + 1);
    }

    public DiscriminatorHeads heads() {
        return heads;
    }

    public FeatureExtractor featureNetwork() {
        return features;
    }

    /** {@code F(x)} with the conditioning of {@code cond} (t for a time-conditioned F; may be null). */
    public List<Tensor> features(Tensor x, ModelInput cond) {
        return features.features(cond == null ? ModelInput.of(x) : cond.withX(x));
    }

    /** Per-head logit maps from features. */
    public List<Tensor> logits(List<Tensor> feats, ModelInput cond) {
        return heads.forward(feats, cond);
    }

    /** Per-head logit maps of {@code x}. */
    public List<Tensor> logits(Tensor x, ModelInput cond) {
        return logits(features(x, cond), cond);
    }

    /** {@code sum_k sum_patches D_k}: one number per sample, {@code [B]} (for gradient penalties). */
    public static Tensor perSampleSum(List<Tensor> logits) {
        Tensor total = null;
        for (Tensor l : logits) {
            Tensor s = l.reshape(l.dim(0), -1).sum(1, false);
            total = total == null ? s : total.add(s);
        }
        return total;
    }

    /** Features flattened to {@code [B, n_k]} and concatenated: one tensor for R1 on the head inputs. */
    static Tensor flatConcat(List<Tensor> feats) {
        List<Tensor> flat = new ArrayList<>();
        for (Tensor f : feats) {
            flat.add(f.reshape(f.dim(0), -1));
        }
        return Tensor.concat(flat, 1);
    }

    /** The inverse of {@link #flatConcat}: slices of {@code flat} shaped like {@code like}. */
    static List<Tensor> split(Tensor flat, List<Tensor> like) {
        List<Tensor> out = new ArrayList<>();
        int at = 0;
        for (Tensor f : like) {
            int n = f.numel() / f.dim(0);
            out.add(flat.slice(1, at, at + n).reshape(f.shape().dims()));
            at += n;
        }
        return out;
    }
}
