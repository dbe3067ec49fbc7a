package dev.distillery.diffusion.sampling;

/**
 * The (from, to) time pairs of a DDIM run, continuous times in [0, 1] (our step t is time t / T).
 * Ours are consecutive ({@code to[i] = from[i + 1]}, the last to 0). diffusers'
 * {@code DDIMScheduler.step} instead goes from its timestep k to {@code k - T // n} whatever the
 * spacing ({@link #diffusers}), so with LINSPACE or TRAILING spacing a step may end between grid
 * points while the next one starts on the grid (the state is carried over unchanged).
 *
 * @param from times the steps start at (the denoiser is called there)
 * @param to   times the steps end at, {@code to[i] <= from[i]}
 */
public record DdimTimes(double[] from, double[] to) {

    public DdimTimes {
        if (from.length != to.length || from.length == 0) {
            throw new IllegalArgumentException("DDIM times: " + from.length + " starts and " + to.length + " ends");
        }
        for (int i = 0; i < from.length; i++) {
            if (!(from[i] > 0 && to[i] >= 0 && to[i] <= from[i])) {
                throw new IllegalArgumentException("DDIM step " + i + " from " + from[i] + " to " + to[i]
                        + "; need 0 <= to <= from, 0 < from");
            }
        }
        from = from.clone();
        to = to.clone();
    }

    /** Consecutive pairs of strictly decreasing times ({@code TimestepSpacing.times}). */
    public static DdimTimes consecutive(double[] times) {
        Checks.decreasing("times", times);
        int n = times.length - 1;
        return new DdimTimes(java.util.Arrays.copyOf(times, n), java.util.Arrays.copyOfRange(times, 1, n + 1));
    }

    /**
     * diffusers' DDIM pairs: from each grid step (diffusers k, our step k + 1) to diffusers
     * {@code k - T // n}; below 0 the step goes to the "final alpha": {@code abar = 1} (time 0)
     * with {@code set_alpha_to_one = true}, else {@code alphas_cumprod[0]} (our step 1, time 1/T).
     *
     * @param steps         our decreasing steps in 1..T, e.g. {@link TimestepSpacing#steps(int, int, int)}
     * @param trainSteps    T ({@code num_train_timesteps})
     * @param setAlphaToOne diffusers' {@code set_alpha_to_one}
     */
    public static DdimTimes diffusers(int[] steps, int trainSteps, boolean setAlphaToOne) {
        int n = steps.length;
        int stride = trainSteps / n;
        double[] from = new double[n];
        double[] to = new double[n];
        for (int i = 0; i < n; i++) {
            int prevK = steps[i] - 1 - stride;
            from[i] = (double) steps[i] / trainSteps;
            to[i] = prevK >= 0 ? (double) (prevK + 1) / trainSteps : setAlphaToOne ? 0.0 : 1.0 / trainSteps;
        }
        return new DdimTimes(from, to);
    }

    /**
     * Our consecutive pairs ending at {@code alphas_cumprod[0]} (time 1/T) instead of 1 (time 0):
     * diffusers' {@code set_alpha_to_one = false} on our grid. A last step already at step 1 then
     * stays there (the denoiser is still called; with eta = 0 the state is unchanged).
     */
    public static DdimTimes endingAtFirstStep(int[] steps, int trainSteps) {
        int n = steps.length;
        double[] from = new double[n];
        double[] to = new double[n];
        for (int i = 0; i < n; i++) {
            from[i] = (double) steps[i] / trainSteps;
            to[i] = (double) (i + 1 < n ? steps[i + 1] : 1) / trainSteps;
        }
        return new DdimTimes(from, to);
    }

    public int size() {
        return from.length;
    }
}
