package dev.distillery.nn.models;

import dev.distillery.autograd.Tensor;

import java.util.List;

/**
 * A network that exposes intermediate features, e.g. a frozen classifier or the encoder half of a
 * U-Net, for discriminators (ADD, GAN distillation) and feature metrics. Freeze the module to stop
 * its parameters from training; gradients still flow through it to the input.
 */
public interface FeatureExtractor {
    /** The feature maps ({@code [B, C_i, H_i, W_i]} or {@code [B, C_i]}), shallow to deep. */
    List<Tensor> features(ModelInput input);

    /** {@code C_i} of each feature, in the order of {@link #features}. */
    List<Integer> featureChannels();
}
