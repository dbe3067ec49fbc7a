/**
 * Neural-network modules for Distillery. {@link dev.distillery.nn.Module} gives every tensor a
 * PyTorch dotted name, so state dicts line up with PyTorch's; layers live in {@code .layers},
 * models (MLP denoiser, U-Net, discriminator heads, classifiers) in {@code .models}, optimizers,
 * schedules and EMA in {@code .optim}, checkpoint directories in {@code .checkpoint}, and the
 * training loop in {@code .train}.
 *
 * <p>May import: the JDK and {@code dev.distillery.autograd} (including its {@code io} and
 * {@code random} packages). Nothing else at run time.
 */
package dev.distillery.nn;
