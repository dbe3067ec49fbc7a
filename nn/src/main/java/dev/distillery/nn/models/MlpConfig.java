package dev.distillery.nn.models;

import dev.distillery.autograd.DType;

/**
 * The MLP denoiser for low-dimensional data. Defaults ({@link #w2()}) are the W2 benchmark
 * network: {@code concat(x, sin(t, 128)) -> Linear(130, 256) SiLU [Linear(256, 256) SiLU] x2 ->
 * Linear(256, 2)}, 165,634 parameters.
 *
 * @param dataDim        dimension d of x and of the output
 * @param width          hidden width
 * @param hiddenLayers   number of Linear+SiLU pairs before the output Linear (W2: 3)
 * @param timeDim        size of the sinusoidal time embedding (W2: 128)
 * @param timeScale      t is multiplied by this before embedding (1 for integer t; e.g. 1000 for t in [0, 1])
 * @param conditioning   optional embeddings added to the time embedding
 * @param zeroInitOutput start the output Linear at zero (the network starts as the zero function)
 * @param dtype          parameter dtype
 * @param seed           initialisation seed
 * @param inputFourierFeatures size m of an optional random Fourier embedding of x (Tancik et al.
 *                       2020): {@code [sin(2 pi x B), cos(2 pi x B)]} with a fixed buffer
 *                       {@code B ~ N(0, inputFourierScale^2)} of shape {@code [dataDim, m/2]}
 *                       (the buffer {@code xff_weight}), concatenated after x, so the first
 *                       Linear reads {@code dataDim + m + timeDim} inputs. 0 (default, W2): off, and
 *                       the network and its parameter names are exactly W2's.
 * @param inputFourierScale std of B (frequencies in cycles per unit of x); ignored when off
 */
public record MlpConfig(int dataDim, int width, int hiddenLayers, int timeDim, double timeScale,
                        Conditioning conditioning, boolean zeroInitOutput, DType dtype, long seed,
                        int inputFourierFeatures, double inputFourierScale)
        implements ModelConfig {

    public MlpConfig {
        if (dataDim < 1 || width < 1 || hiddenLayers < 1 || timeDim < 2 || timeDim % 2 != 0) {
            throw new IllegalArgumentException("MlpConfig: need dataDim, width, hiddenLayers >= 1 and an even timeDim; got "
                    + dataDim + ", " + width + ", " + hiddenLayers + ", " + timeDim);
        }
        if (inputFourierFeatures < 0 || inputFourierFeatures % 2 != 0
                || (inputFourierFeatures > 0 && !(inputFourierScale > 0))) {
            throw new IllegalArgumentException("MlpConfig: inputFourierFeatures must be 0 or even and > 0 with a scale > 0; got "
                    + inputFourierFeatures + ", " + inputFourierScale);
        }
    }

    /** Without input Fourier features (the W2 layout). */
    public MlpConfig(int dataDim, int width, int hiddenLayers, int timeDim, double timeScale,
                     Conditioning conditioning, boolean zeroInitOutput, DType dtype, long seed) {
        this(dataDim, width, hiddenLayers, timeDim, timeScale, conditioning, zeroInitOutput, dtype, seed, 0, 0.0);
    }

    /** This config with an input Fourier embedding of x of size {@code m} and frequency std {@code scale}. */
    public MlpConfig withInputFourierFeatures(int m, double scale) {
        return new MlpConfig(dataDim, width, hiddenLayers, timeDim, timeScale, conditioning, zeroInitOutput, dtype, seed,
                m, scale);
    }

    /** The W2 network, F32, seed 0. */
    public static MlpConfig w2() {
        return new MlpConfig(2, 256, 3, 128, 1.0, Conditioning.none(), false, DType.F32, 0L);
    }

    public MlpConfig withWidth(int w) {
        return new MlpConfig(dataDim, w, hiddenLayers, timeDim, timeScale, conditioning, zeroInitOutput, dtype, seed,
                inputFourierFeatures, inputFourierScale);
    }

    public MlpConfig withTimeDim(int d) {
        return new MlpConfig(dataDim, width, hiddenLayers, d, timeScale, conditioning, zeroInitOutput, dtype, seed,
                inputFourierFeatures, inputFourierScale);
    }

    public MlpConfig withConditioning(Conditioning c) {
        return new MlpConfig(dataDim, width, hiddenLayers, timeDim, timeScale, c, zeroInitOutput, dtype, seed,
                inputFourierFeatures, inputFourierScale);
    }

    public MlpConfig withDtype(DType d) {
        return new MlpConfig(dataDim, width, hiddenLayers, timeDim, timeScale, conditioning, zeroInitOutput, d, seed,
                inputFourierFeatures, inputFourierScale);
    }

    public MlpConfig withSeed(long s) {
        return new MlpConfig(dataDim, width, hiddenLayers, timeDim, timeScale, conditioning, zeroInitOutput, dtype, s,
                inputFourierFeatures, inputFourierScale);
    }

    @Override
    public String kind() {
        return "mlp_denoiser";
    }

    @Override
    public MlpDenoiser build() {
        return new MlpDenoiser(this);
    }
}
