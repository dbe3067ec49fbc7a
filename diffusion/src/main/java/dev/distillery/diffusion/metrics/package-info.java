/**
 * Sample-quality metrics: 25-Gaussians mode coverage, MMD, sliced Wasserstein, mixture log-likelihood, Frechet distance, k-NN precision/recall, class entropy. May import Commons Math.
 */
package dev.distillery.diffusion.metrics;
