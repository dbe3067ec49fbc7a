package dev.distillery.diffusion.loss;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;

/**
 * Training timesteps: discrete uniform on {1..T} (Ho et al. 2020, Algorithm 1) or continuous
 * uniform on (0, 1) (Kingma et al. 2021). Deterministic given the generator's state.
 */
public final class TimestepSampler {
    private TimestepSampler() {}

    /** {@code batch} steps uniform on {1, ..., T}; one {@code nextInt} draw each. */
    public static int[] discreteUniform(Rng rng, int batch, int steps) {
        int[] t = new int[batch];
        for (int b = 0; b < batch; b++) {
            t[b] = 1 + rng.nextInt(steps);
        }
        return t;
    }

    /** {@code batch} times uniform on the open interval (0, 1). */
    public static double[] continuousUniform(Rng rng, int batch) {
        double[] t = new double[batch];
        for (int b = 0; b < batch; b++) {
            t[b] = rng.nextDouble();
        }
        return t;
    }

    /** Discrete steps as continuous times {@code t / T}, a {@code [B]} tensor. */
    public static Tensor asContinuous(int[] steps, int total, DType dtype) {
        double[] t = new double[steps.length];
        for (int b = 0; b < steps.length; b++) {
            t[b] = (double) steps[b] / total;
        }
        return Tensor.of(dtype, t, t.length);
    }
}
