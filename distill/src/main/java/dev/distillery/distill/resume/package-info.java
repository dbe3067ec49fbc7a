/**
 * What a distillation run holds between two steps, so that a run saved after k steps and resumed
 * goes on exactly as one that never stopped: a {@link dev.distillery.distill.resume.TrainingSnapshot}
 * (named tensors and integer counters) written through a
 * {@link dev.distillery.distill.resume.StateWriter} and read back through a
 * {@link dev.distillery.distill.resume.StateReader} by every
 * {@link dev.distillery.distill.resume.Resumable} building block: a student with its optimizer, an
 * EMA target, a discriminator with its trainer, the rounds of progressive distillation. The
 * writer and reader know nn's modules, optimizers (torch-shaped state dicts) and EMAs, so each
 * block lists its parts in a few lines and never lays out tensors itself.
 *
 * <p>May import {@code autograd} and {@code nn} only: the method families and {@code gan} build
 * on it.
 */
package dev.distillery.distill.resume;
