package dev.distillery.distill.trajectory;

import dev.distillery.nn.Module;
import dev.distillery.nn.optim.Adam;
import dev.distillery.nn.optim.LearningRate;

/** The optimizer of a student network, shared by the trajectory methods. */
final class StudentOptimizers {
    private StudentOptimizers() {
    }

    /**
     * Adam on {@code student}'s parameters at rate {@code lr}; with {@code decaySteps > 0} the rate
     * follows a cosine from {@code lr} to 0 over that many steps (Loshchilov &amp; Hutter 2017, no
     * restarts), then stays at 0. Why decay: the bars are sharp (a sample counts when it lies within
     * 3 std = 0.15 of a mode), and at a constant rate the last steps' parameter noise alone moves
     * samples by more than that; annealing removes it (measured per method in docs/RESULTS.md).
     */
    static Adam adam(Module student, double lr, long decaySteps) {
        Adam opt = Adam.adam(student.namedParameters(), lr);
        if (decaySteps > 0) {
            opt.setSchedule(LearningRate.cosine(lr, 0, decaySteps, 0.0));
        }
        return opt;
    }
}
