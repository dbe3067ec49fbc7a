/**
 * Data sets as plain arrays: the 2-D toys ({@link dev.distillery.diffusion.data.Toy2d}) with
 * their exact mixtures ({@link dev.distillery.diffusion.data.MixtureSpec}) for analytic teachers,
 * and the bundled 8x8 digits ({@link dev.distillery.diffusion.data.Digits}). No tensor dependency:
 * callers wrap the arrays.
 */
package dev.distillery.diffusion.data;
