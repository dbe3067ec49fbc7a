/**
 * Training losses and timestep sampling (MATH.md sections 2-3), as scalar tensors differentiable in model outputs.
 */
package dev.distillery.diffusion.loss;
