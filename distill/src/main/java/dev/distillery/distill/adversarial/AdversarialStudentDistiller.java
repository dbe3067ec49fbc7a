package dev.distillery.distill.adversarial;

import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.distill.StudentState;
import dev.distillery.distill.gan.DiscriminatorTrainer;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;
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

    /** The discriminator's training (its network, optimiser and loss). */
    DiscriminatorTrainer discriminatorTrainer() {
        return core.trainer;
    }

    @Override
    public Map<String, Double> step(Rng rng) {
        return core.step(rng);
    }

    /**
     * The student's sampler at the step counts it was trained for: k steps use the first k of its
     * n training times (ADD's 999, 749, 499, 249 for n = 4), so k &lt;= n. A student trained at its top
     * time alone (n = 1) has never seen a re-noised input, and a 2- or 4-step sample from it would
     * be a sampler nobody trained: it is not offered (as DDGAN offers exactly its T).
     */
    @Override
    public Generator generator() {
        return new Generator() {
            @Override
            public Tensor sample(Tensor noise, int steps, RngKey key) {
                if (!supports(steps)) {
                    throw new IllegalArgumentException("this student was trained for " + core.studentSteps
                            + " step(s); it samples with 1.." + core.studentSteps + " steps, not " + steps);
                }
                return core.sampler.sample(noise, steps, key);
            }

            @Override
            public boolean supports(int steps) {
                return steps >= 1 && steps <= core.studentSteps;
            }
        };
    }

    /** The student, its Adam, its EMA and the discriminator's training ({@link AdversarialStudent#writeState}). */
    @Override
    public void writeState(StateWriter out) {
        core.writeState(out);
    }

    @Override
    public void readState(StateReader in) {
        core.readState(in);
    }

    /** The network the generator evaluates (what {@link StudentState} saves): the EMA when there is one. */
    @Override
    public Module sampledNetwork() {
        return core.ema != null ? core.ema.model() : core.student.module();
    }
}
