package dev.distillery.diffusion.sampling;

import dev.distillery.autograd.Tensor;
import java.util.List;

/** Optional recording of a sampler's intermediate states: the start and the state after each step. */
final class Trajectory {
    private Trajectory() {}

    /** Appends {@code z} when {@code out} is not null. */
    static void record(List<Tensor> out, Tensor z) {
        if (out != null) {
            out.add(z);
        }
    }
}
