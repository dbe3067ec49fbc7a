/**
 * Models configured by records: {@link dev.distillery.nn.models.MlpDenoiser} (W2 defaults),
 * {@link dev.distillery.nn.models.UNet} (W3 defaults), {@link dev.distillery.nn.models.DiscriminatorHeads}
 * over {@link dev.distillery.nn.models.FeatureExtractor} features, and classifiers. Every model reads a
 * {@link dev.distillery.nn.models.ModelInput} (x, t, optional s, labels, w).
 */
package dev.distillery.nn.models;
