package dev.distillery.distill;

import dev.distillery.autograd.random.Rng;
import dev.distillery.distill.resume.Resumable;
import dev.distillery.distill.resume.TrainingSnapshot;
import dev.distillery.nn.Module;

import java.util.Map;

/**
 * One distillation method in training (docs/ARCHITECTURE.md): a training step that returns named
 * losses, and the few-step generator it has learned so far.
 *
 * <p>Two exports, for two purposes: {@link #state()} is what the generator samples with (a saved
 * student), {@link #trainingState()} is everything training goes on from (a resumable run: every
 * network, optimizer, EMA target, discriminator, round and stage counter, and data drawn on the
 * way; see {@link Resumable}). A distiller restored with {@link #restoreTraining} and stepped with
 * the {@link Rng} restored to where it was at the export trains on bit for bit as the exported one
 * would have ({@code TrainingResumeTest}, all 14 methods); {@link DistillCheckpoint} keeps both
 * on disk.
 */
public interface Distiller extends Resumable {

    /** The method's registry name, e.g. "progressive". */
    String name();

    /** One optimisation step (student, and auxiliary networks where the method has them). */
    Map<String, Double> step(Rng rng);

    /** The current student as a sampler (usable at any point of training). */
    Generator generator();

    /**
     * What {@link #generator()} needs to sample as it does now: the networks it evaluates and the
     * counters that choose among them (see {@link StudentState}); the tensors are the live ones.
     */
    StudentState state();

    /**
     * Makes this distiller's generator sample exactly as the one whose {@link #state()} this is,
     * by copying the weights into this distiller's own networks. This distiller must come from the
     * same method and an equal {@link DistillSetup} ({@code method.create(setup, steps)}).
     *
     * @throws IllegalArgumentException naming the network or counter that does not fit, with every
     *                                  weight difference; the distiller may then be partly restored:
     *                                  discard it
     */
    void restore(StudentState state);

    /**
     * Everything this distiller's training holds now ({@link #writeState}); the tensors are the
     * live ones, valid until the next step.
     */
    default TrainingSnapshot trainingState() {
        return TrainingSnapshot.of(this);
    }

    /**
     * Makes this distiller continue the training of the one whose {@link #trainingState()} this
     * is. This distiller must be fresh and come from the same method, an equal {@link DistillSetup}
     * and the same {@code trainingSteps} ({@code method.create(setup, steps)}).
     *
     * @throws IllegalArgumentException naming the entry that is missing, does not fit or is not
     *                                  read; the distiller may then be partly restored: discard it
     */
    default void restoreTraining(TrainingSnapshot snapshot) {
        snapshot.restore(this);
    }

    /**
     * A distiller whose generator evaluates one network and reads nothing else: its state is that
     * network under {@link #sampledNetworkName()}.
     */
    interface SingleNetwork extends Distiller {
        /** The network the generator evaluates. */
        Module sampledNetwork();

        /** Its name in a {@link StudentState} (and file name in a saved student). */
        default String sampledNetworkName() {
            return "student";
        }

        @Override
        default StudentState state() {
            return StudentState.of(sampledNetworkName(), sampledNetwork());
        }

        @Override
        default void restore(StudentState state) {
            state.loadInto(sampledNetworkName(), sampledNetwork());
        }
    }
}
