/**
 * Optimizers following PyTorch's update rules (SGD with momentum/Nesterov, Adam, AdamW, RAdam),
 * learning-rate schedules, gradient clipping by global norm, and parameter EMA. Updates run under
 * no-grad and write parameters in place with {@code Tensor.assign}.
 */
package dev.distillery.nn.optim;
