package dev.distillery.nn.models;

import dev.distillery.autograd.DType;

import java.util.List;

/**
 * A small convolutional classifier for small images, optionally time-conditioned (a noisy
 * classifier {@code p(y | x_t, t)} for classifier guidance, Dhariwal and Nichol 2021).
 *
 * @param inChannels      image channels
 * @param numClasses      number of classes
 * @param channels        channels of each block; blocks after the first halve the resolution
 * @param groups          GroupNorm groups
 * @param timeConditioned add a projection of the time embedding in every block
 * @param timeDim         sinusoidal time-embedding size (when time-conditioned)
 * @param timeScale       t is multiplied by this before embedding
 * @param dtype           parameter dtype
 * @param seed            initialisation seed
 */
public record ImageClassifierConfig(int inChannels, int numClasses, List<Integer> channels, int groups,
                                    boolean timeConditioned, int timeDim, double timeScale, DType dtype, long seed)
        implements ModelConfig {

    public ImageClassifierConfig {
        channels = List.copyOf(channels);
        if (channels.isEmpty() || numClasses < 2 || timeDim % 2 != 0) {
            throw new IllegalArgumentException("ImageClassifierConfig: need blocks, at least 2 classes, an even timeDim");
        }
    }

    /** The 8x8 digits classifier (10 classes): blocks of 16, 32, 64 channels at 8x8, 4x4, 2x2. */
    public static ImageClassifierConfig digits() {
        return new ImageClassifierConfig(1, 10, List.of(16, 32, 64), 8, false, 128, 1.0, DType.F32, 0L);
    }

    /** The digits classifier conditioned on t, for classifier guidance. */
    public static ImageClassifierConfig noisyDigits() {
        return new ImageClassifierConfig(1, 10, List.of(16, 32, 64), 8, true, 128, 1.0, DType.F32, 0L);
    }

    public ImageClassifierConfig with(List<Integer> newChannels, int newGroups, int newTimeDim, DType newDtype) {
        return new ImageClassifierConfig(inChannels, numClasses, newChannels, newGroups, timeConditioned, newTimeDim,
                timeScale, newDtype, seed);
    }

    @Override
    public String kind() {
        return "image_classifier";
    }

    @Override
    public ImageClassifier build() {
        return new ImageClassifier(this);
    }
}
