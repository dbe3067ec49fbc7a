package dev.distillery.cli.teacher;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.sampling.DdimSampler;
import dev.distillery.nn.Module;

/**
 * The frozen teacher of a run.
 *
 * @param denoiser    what samplers and distillers call
 * @param network     the teacher's network when it is one (students may start from it), else null
 * @param description one line for reports, e.g. "analytic 25-Gaussians mixture (exact E[x | z_t])"
 * @param classes     the number of classes its labels select (0: unconditional)
 * @param startTime   where its samplers start: 1 for the analytic teacher (exact even at alpha = 0),
 *                    just below 1 for a network (an eps-network cannot give x at alpha = 0)
 */
public record Teacher(Denoiser denoiser, Module network, String description, int classes, double startTime) {

    /** Start time of a network teacher's samplers. */
    public static final double NETWORK_START_TIME = 0.999;

    /** An analytic teacher, sampled from t = 1. */
    public Teacher(Denoiser denoiser, Module network, String description, int classes) {
        this(denoiser, network, description, classes, 1.0);
    }

    /** {@code steps} deterministic DDIM steps from {@link #startTime} to 0 on {@code noise}. */
    public Tensor ddim(Tensor noise, int steps) {
        return DdimSampler.sample(denoiser, noise, times(steps), 0.0, Condition.NONE, null, null, null);
    }

    /** The uniform grid of its samplers: {@code t_i = startTime (steps - i) / steps}, i = 0..steps. */
    public double[] times(int steps) {
        double[] times = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            times[i] = startTime * (steps - i) / steps;
        }
        return times;
    }
}
