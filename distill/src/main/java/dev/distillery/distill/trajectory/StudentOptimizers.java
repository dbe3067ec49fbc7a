package dev.distillery.distill.trajectory;

import dev.distillery.nn.Module;
import dev.distillery.nn.optim.Adam;
import dev.distillery.nn.optim.LearningRate;

/** The optimizer of a student network, shared by the trajectory methods. */
final class StudentOptimizers {
    private StudentOptimizers() {
    }

    /**
     * Adam on {@code student}'s parameters at rate {@code lr}, constant for the first
     * {@code 1 - decayShare} of a run of {@code totalSteps} steps, then decayed to 0 by a cosine
     * over the rest ({@link LearningRate#stableThenCosine}). {@code decayShare = 0} is a constant
     * rate, 1 a cosine over the whole run.
     *
     * <p>Why decay: the bars are sharp (a sample counts when it lies within 3 std = 0.15 of a mode),
     * and at a constant rate the last steps' parameter noise alone moves samples by more than that.
     * Why only a share for some methods: a consistency target moves with the student (its EMA), and
     * an early decay slows the propagation of consistency from low to high noise (measured per method
     * in docs/RESULTS.md).
     */
    static Adam adam(Module student, double lr, double decayShare, long totalSteps) {
        Adam opt = Adam.adam(student.namedParameters(), lr);
        opt.setSchedule(LearningRate.decayOverFinalShare(lr, decayShare, totalSteps));
        return opt;
    }

    /** Checks that a run with learning-rate decay knows its length. */
    static void requireLength(String method, double decayShare, long trainingSteps) {
        if (decayShare > 0 && trainingSteps < 1) {
            throw new IllegalArgumentException(method + " with decayShare " + decayShare + " needs the run's "
                    + "trainingSteps (> 0), got " + trainingSteps + "; pass it or use withDecayShare(0)");
        }
    }
}
