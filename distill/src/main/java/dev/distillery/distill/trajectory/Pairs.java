package dev.distillery.distill.trajectory;

import dev.distillery.autograd.Tensor;
import dev.distillery.distill.DistillSetup;

import java.util.Arrays;

/**
 * Checks on a restored pair set (knowledge distillation's and rectified flow's): a pair set of
 * another size or sample shape would be indexed past its end, or read as other data, by the
 * next steps.
 */
final class Pairs {
    private Pairs() {
    }

    /** {@code t} when it is {@code [pairs, sampleShape...]}; else a message naming {@code name}. */
    static Tensor check(Tensor t, DistillSetup setup, int pairs, String name) {
        int[] want = setup.batchDims(pairs);
        if (!Arrays.equals(t.shape().dims(), want)) {
            throw new IllegalArgumentException("training state '" + name + "' has shape " + Arrays.toString(t.shape().dims())
                    + ", but this run's pair set is " + Arrays.toString(want));
        }
        return t;
    }
}
