package dev.distillery.autograd;

import static dev.distillery.autograd.OpCase.InputSpec.uniform;

import java.util.List;

/**
 * Ops on inputs large enough that a parallel backend splits the work across threads; the
 * catalogue's tiny shapes never reach those paths. Conditioning grows with the number of terms
 * accumulated per output element.
 */
final class LargeCases {
    private LargeCases() {
    }

    static List<OpCase> all() {
        return List.of(
                large("exp-large", v -> v.get(0).exp(), 4, uniform(-2, 2, 70_001)),
                large("add-broadcast-large", v -> v.get(0).add(v.get(1)), 4, uniform(-1, 1, 301, 257), uniform(-1, 1, 257)),
                large("sum-rows-large", v -> v.get(0).sum(1, false), 600, uniform(-1, 1, 129, 533)),
                large("sum-all-large", v -> v.get(0).sum(), 60_000, uniform(-1, 1, 65_537)),
                large("max-cols-large", v -> v.get(0).max(0, false), 4, uniform(-1, 1, 517, 129)),
                large("matmul-large", v -> v.get(0).matmul(v.get(1)), 300, uniform(-1, 1, 131, 257),
                        uniform(-1, 1, 257, 97)),
                large("conv2d-large", v -> v.get(0).conv2d(v.get(1), v.get(2), 1, 1, 1), 300,
                        uniform(-1, 1, 8, 16, 8, 8), uniform(-1, 1, 32, 16, 3, 3), uniform(-1, 1, 32)));
    }

    private static OpCase large(String name, java.util.function.Function<List<Tensor>, Tensor> f, double conditioning,
                                OpCase.InputSpec... inputs) {
        return new OpCase(name, List.of(inputs), f, conditioning, GradCheck.Tolerance.DEFAULT);
    }
}
