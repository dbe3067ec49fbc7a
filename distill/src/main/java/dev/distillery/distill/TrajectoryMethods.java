package dev.distillery.distill;

import java.util.List;

/**
 * The methods that learn to jump along the teacher's ODE trajectories (MATH.md section 6):
 * knowledge distillation, progressive and guided distillation, consistency models, CTM,
 * rectified flow.
 */
final class TrajectoryMethods {
    private TrajectoryMethods() {
    }

    static List<DistillMethod> all() {
        return List.of();
    }
}
