package dev.distillery.nn.models;

import dev.distillery.autograd.DType;

import java.util.List;

/**
 * The image U-Net (DDPM / improved-diffusion layout). Defaults ({@link #w3()}) are the W3
 * benchmark network for 8x8x1 images: base 32 channels, multipliers (1, 2), two residual blocks
 * per level, GroupNorm(8), one single-head self-attention in the 4x4 middle block, sinusoidal 128
 * -> MLP 128 time embedding.
 *
 * @param inChannels     image channels in
 * @param outChannels    channels of the prediction
 * @param baseChannels   channels at the first level
 * @param channelMult    channel multiplier per level; each level after the first halves the resolution
 * @param numResBlocks   residual blocks per level on the way down (the way up has one more)
 * @param timeDim        size of the sinusoidal time embedding (W3: 128)
 * @param embDim         size of the time-embedding MLP output (W3: 128)
 * @param groups         GroupNorm groups (W3: 8)
 * @param attentionHeads heads of the middle attention (W3: 1)
 * @param timeScale      t is multiplied by this before embedding
 * @param conditioning   optional embeddings added to the time embedding
 * @param zeroInitOutput start the output convolution at zero
 * @param dtype          parameter dtype
 * @param seed           initialisation seed
 */
public record UNetConfig(int inChannels, int outChannels, int baseChannels, List<Integer> channelMult,
                         int numResBlocks, int timeDim, int embDim, int groups, int attentionHeads, double timeScale,
                         Conditioning conditioning, boolean zeroInitOutput, DType dtype, long seed)
        implements ModelConfig {

    public UNetConfig {
        channelMult = List.copyOf(channelMult);
        if (channelMult.isEmpty() || numResBlocks < 1 || baseChannels < 1 || timeDim % 2 != 0) {
            throw new IllegalArgumentException("UNetConfig: need at least one level, one residual block, "
                    + "positive channels and an even timeDim");
        }
        for (int m : channelMult) {
            if ((baseChannels * m) % groups != 0) {
                throw new IllegalArgumentException("UNetConfig: " + groups + " groups do not divide "
                        + baseChannels * m + " channels (base " + baseChannels + " x mult " + m + ")");
            }
        }
    }

    /** The W3 network, F32, seed 0. */
    public static UNetConfig w3() {
        return new UNetConfig(1, 1, 32, List.of(1, 2), 2, 128, 128, 8, 1, 1.0, Conditioning.none(), false,
                DType.F32, 0L);
    }

    /** A tiny network of the same layout, for gradchecks and smoke tests. */
    public static UNetConfig tiny() {
        return new UNetConfig(1, 1, 4, List.of(1, 2), 1, 8, 8, 2, 1, 1.0, Conditioning.none(), false, DType.F64, 0L);
    }

    public UNetConfig withConditioning(Conditioning c) {
        return new UNetConfig(inChannels, outChannels, baseChannels, channelMult, numResBlocks, timeDim, embDim, groups,
                attentionHeads, timeScale, c, zeroInitOutput, dtype, seed);
    }

    public UNetConfig withDtype(DType d) {
        return new UNetConfig(inChannels, outChannels, baseChannels, channelMult, numResBlocks, timeDim, embDim, groups,
                attentionHeads, timeScale, conditioning, zeroInitOutput, d, seed);
    }

    public UNetConfig withSeed(long s) {
        return new UNetConfig(inChannels, outChannels, baseChannels, channelMult, numResBlocks, timeDim, embDim, groups,
                attentionHeads, timeScale, conditioning, zeroInitOutput, dtype, s);
    }

    @Override
    public String kind() {
        return "unet";
    }

    @Override
    public UNet build() {
        return new UNet(this);
    }
}
