/**
 * The Denoiser interface every sampler and distiller sees (MATH.md section 3): prediction kinds and their exact VP conversions, conditions, time conventions, and the adapter for any network. Imports autograd and diffusion.schedule only.
 */
package dev.distillery.diffusion.denoise;
