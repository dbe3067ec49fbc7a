/**
 * Layers as modules: Linear, Conv2d (with dilation and padding modes), ConvTranspose2d, GroupNorm, LayerNorm, BatchNorm1d and
 * BatchNorm2d (train and eval modes, running statistics and {@code num_batches_tracked} as
 * PyTorch's), MaxPool2d, Embedding (with a null-class row), Dropout (explicit RNG key), activations,
 * Sequential/ModuleList, Upsample (nearest, bilinear), self-attention over images and multi-head (self- or cross-)attention over sequences (loading
 * PyTorch's {@code nn.MultiheadAttention} state dicts, packed or with {@code kdim}/{@code vdim}, and
 * {@code bias_k}/{@code bias_v}), sinusoidal and random Fourier embeddings. Each class's Javadoc states
 * its equation and PyTorch's parameter layout and default initialisation.
 */
package dev.distillery.nn.layers;
