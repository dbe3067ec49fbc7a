package dev.distillery.distill;

import dev.distillery.autograd.random.Rng;

import java.util.Map;

/**
 * One distillation method in training (DESIGN.md, distill): a training step that returns named
 * losses, and the few-step generator it has learned so far.
 */
public interface Distiller {

    /** The method's registry name, e.g. "progressive". */
    String name();

    /** One optimisation step (student, and auxiliary networks where the method has them). */
    Map<String, Double> step(Rng rng);

    /** The current student as a sampler (usable at any point of training). */
    Generator generator();
}
