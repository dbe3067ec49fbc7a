/**
 * Stateless samplers over a Denoiser (MATH.md section 4): DDPM, DDIM, Euler, Heun, DPM-Solver++(2M); each deterministic given an RNG key, with progress and trajectory hooks.
 */
package dev.distillery.diffusion.sampling;
