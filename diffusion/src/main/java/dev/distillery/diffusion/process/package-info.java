/**
 * Forward process, posteriors, Gaussian KL, discretized decoder and the variational bound (MATH.md sections 1-2).
 */
package dev.distillery.diffusion.process;
