/**
 * Classifier-free and classifier guidance as Denoiser wrappers (MATH.md section 4).
 */
package dev.distillery.diffusion.guidance;
