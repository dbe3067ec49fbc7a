/**
 * The distillation layer's interfaces and registry: a method in training is a
 * {@link dev.distillery.distill.Distiller}, what it produces a
 * {@link dev.distillery.distill.Generator}, what it needs a {@link dev.distillery.distill.DistillSetup},
 * what it saves a {@link dev.distillery.distill.StudentState}, what a resumable run saves a
 * {@code resume.TrainingSnapshot} (on disk: {@link dev.distillery.distill.DistillCheckpoint});
 * {@link dev.distillery.distill.Methods}
 * lists every method by name with its recipe, each with the {@link dev.distillery.distill.Knob}s a
 * run may override ({@link dev.distillery.distill.MethodSettings}). The methods live in {@code trajectory},
 * {@code matching} and {@code adversarial}, their shared math in {@code core} and {@code gan}
 * (docs/MATH.md section 6).
 */
package dev.distillery.distill;
