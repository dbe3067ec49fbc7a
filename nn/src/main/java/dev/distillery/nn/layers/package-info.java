/**
 * Layers as modules: Linear, Conv2d, GroupNorm, LayerNorm, Embedding (with a null-class row),
 * Dropout (explicit RNG key), activations, Sequential/ModuleList, self-attention over images and
 * sequences, sinusoidal and random Fourier embeddings. Each class's Javadoc states its equation
 * and PyTorch's parameter layout and default initialisation.
 */
package dev.distillery.nn.layers;
