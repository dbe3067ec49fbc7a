package dev.distillery.distill.adversarial;

import dev.distillery.autograd.random.Rng;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.distill.StudentState;
import dev.distillery.nn.Module;

import java.util.Map;

/**
 * What ADD and adversarial-loss-on-every-step share as distillers: a step is their
 * {@link AdversarialStudent}'s step, and their student is its few-step sampler over the student
 * network.
 */
abstract class AdversarialStudentDistiller implements Distiller.SingleNetwork {
    private final AdversarialStudent core;

    AdversarialStudentDistiller(AdversarialStudent core) {
        this.core = core;
    }

    @Override
    public Map<String, Double> step(Rng rng) {
        return core.step(rng);
    }

    @Override
    public Generator generator() {
        return core.sampler;
    }

    /** The network the generator evaluates (what {@link StudentState} saves). */
    @Override
    public Module sampledNetwork() {
        return core.student.module();
    }
}
