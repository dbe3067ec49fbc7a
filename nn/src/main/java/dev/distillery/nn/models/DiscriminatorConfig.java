package dev.distillery.nn.models;

import dev.distillery.autograd.DType;

import java.util.List;

/**
 * Discriminator heads over a feature network's maps (one head per feature).
 *
 * @param featureChannels channels {@code C_i} of each feature ({@link FeatureExtractor#featureChannels()})
 * @param hidden          hidden channels of each head
 * @param numClasses      classes for projection conditioning (Miyato and Koyama 2018), 0 for none
 * @param timeDim         sinusoidal size for time projection conditioning, 0 for none
 * @param timeScale       t is multiplied by this before embedding
 * @param dtype           parameter dtype
 * @param seed            initialisation seed
 */
public record DiscriminatorConfig(List<Integer> featureChannels, int hidden, int numClasses, int timeDim,
                                  double timeScale, DType dtype, long seed) implements ModelConfig {

    public DiscriminatorConfig {
        featureChannels = List.copyOf(featureChannels);
        if (featureChannels.isEmpty() || hidden < 1 || numClasses < 0 || timeDim < 0 || timeDim % 2 != 0) {
            throw new IllegalArgumentException("DiscriminatorConfig: need features, hidden >= 1, numClasses >= 0 "
                    + "and an even timeDim >= 0");
        }
    }

    /** Unconditional heads of width 64 over the given features. */
    public static DiscriminatorConfig over(List<Integer> featureChannels, DType dtype, long seed) {
        return new DiscriminatorConfig(featureChannels, 64, 0, 0, 1.0, dtype, seed);
    }

    @Override
    public String kind() {
        return "discriminator_heads";
    }

    @Override
    public DiscriminatorHeads build() {
        return new DiscriminatorHeads(this);
    }
}
