/**
 * The analytic Gaussian-mixture teacher (MATH.md section 5): exact log-density, score, responsibilities and denoiser of the diffused mixture, in differentiable tensor ops.
 */
package dev.distillery.diffusion.mixture;
