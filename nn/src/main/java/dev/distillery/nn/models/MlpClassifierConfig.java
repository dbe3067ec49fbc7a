package dev.distillery.nn.models;

import dev.distillery.autograd.DType;

/**
 * An MLP classifier for low-dimensional data, optionally time-conditioned (noisy classifier):
 * {@code concat(x, sin(c t))} (or x alone) {@code -> [Linear SiLU] x hiddenLayers -> Linear(K)}.
 */
public record MlpClassifierConfig(int dataDim, int width, int hiddenLayers, int numClasses, boolean timeConditioned,
                                  int timeDim, double timeScale, DType dtype, long seed) implements ModelConfig {

    public MlpClassifierConfig {
        if (dataDim < 1 || width < 1 || hiddenLayers < 1 || numClasses < 2 || timeDim % 2 != 0) {
            throw new IllegalArgumentException("MlpClassifierConfig: invalid sizes");
        }
    }

    /** 2-D data, 128 wide, 2 hidden layers, unconditioned. */
    public static MlpClassifierConfig of(int numClasses) {
        return new MlpClassifierConfig(2, 128, 2, numClasses, false, 64, 1.0, DType.F32, 0L);
    }

    @Override
    public String kind() {
        return "mlp_classifier";
    }

    @Override
    public MlpClassifier build() {
        return new MlpClassifier(this);
    }
}
