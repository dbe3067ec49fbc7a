package dev.distillery.diffusion.sampling;

/**
 * How n sampling steps are picked among T training steps, as in diffusers' schedulers
 * ({@code timestep_spacing}; Lin et al. 2024, Table 2), translated to our step numbering: diffusers
 * index k in 0..T-1 is our step t = k + 1 in 1..T ({@code abar_{k+1}}), and its "final alpha" of 1
 * is our step 0. All three return n strictly decreasing steps in [1, T] (n &lt;= T).
 * <ul>
 *   <li>LINSPACE: {@code round(linspace(0, T - 1, n))} reversed (round half to even, as NumPy);</li>
 *   <li>LEADING: {@code (0, r, 2r, ..., (n-1) r)} reversed, {@code r = floor(T / n)} (DDIM's original
 *       choice; never reaches step T, so sampling starts at a nonzero SNR);</li>
 *   <li>TRAILING: {@code round(arange(T, 0, -T/n)) - 1}, so the first step is T.</li>
 * </ul>
 * diffusers' {@code steps_offset} (1 in Stable Diffusion's configs) is added to the LEADING steps
 * only, as {@code DDIMScheduler} and {@code DPMSolverMultistepScheduler} add it
 * ({@link #steps(int, int, int)}). {@code DPMSolverMultistepScheduler} spaces LINSPACE and
 * LEADING over n + 1 points and drops the last ({@link #dpmSolverSteps}).
 */
public enum TimestepSpacing {
    LINSPACE, LEADING, TRAILING;

    /** The n steps, decreasing, in 1..T. */
    public int[] steps(int trainSteps, int n) {
        return steps(trainSteps, n, 0);
    }

    /**
     * The n steps, decreasing, with diffusers' {@code steps_offset} added to LEADING's (diffusers
     * k = i floor(T / n) + offset, our step k + 1); other spacings ignore the offset, as diffusers
     * does.
     *
     * @throws IllegalArgumentException if the offset takes a step outside [1, T]
     */
    public int[] steps(int trainSteps, int n, int stepsOffset) {
        checkN(trainSteps, n);
        int[] k = new int[n];
        for (int i = 0; i < n; i++) {
            k[i] = switch (this) {
                case LINSPACE -> (int) Math.rint(n == 1 ? 0.0 : (double) (trainSteps - 1) * i / (n - 1));
                case LEADING -> i * (trainSteps / n) + stepsOffset;
                case TRAILING -> (int) Math.rint(trainSteps - (double) trainSteps / n * (n - 1 - i)) - 1;
            };
        }
        return reversedPlusOne(k, trainSteps);
    }

    /**
     * The n steps of {@code DPMSolverMultistepScheduler.set_timesteps} (diffusers): LINSPACE
     * {@code round(linspace(0, T - 1, n + 1))} and LEADING {@code (0, r, ..., n r) + offset} with
     * {@code r = floor(T / (n + 1))}, each reversed with its last (smallest) point dropped; TRAILING
     * as {@link #steps(int, int)}.
     */
    public int[] dpmSolverSteps(int trainSteps, int n, int stepsOffset) {
        if (this == TRAILING) {
            return steps(trainSteps, n);
        }
        checkN(trainSteps, n);
        int[] k = new int[n];
        for (int i = 1; i <= n; i++) {
            k[i - 1] = this == LINSPACE ? (int) Math.rint((double) (trainSteps - 1) * i / n)
                    : i * (trainSteps / (n + 1)) + stepsOffset;
        }
        return reversedPlusOne(k, trainSteps);
    }

    private static void checkN(int trainSteps, int n) {
        if (n < 1 || n > trainSteps) {
            throw new IllegalArgumentException("n = " + n + " is outside the allowed range [1, T = " + trainSteps + "]");
        }
    }

    /** diffusers' increasing indices k (0-based) as our decreasing steps k + 1, checked to lie in [1, T]. */
    private static int[] reversedPlusOne(int[] k, int trainSteps) {
        int n = k.length;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = k[n - 1 - i] + 1;
            if (out[i] < 1 || out[i] > trainSteps) {
                throw new IllegalArgumentException("step " + out[i] + " is outside [1, T = " + trainSteps
                        + "]; lower steps_offset");
            }
        }
        return out;
    }

    /** The steps as continuous times {@code t / T}, followed by a final 0 (clean data): n + 1 values. */
    public double[] times(int trainSteps, int n) {
        int[] st = steps(trainSteps, n);
        double[] t = new double[n + 1];
        for (int i = 0; i < n; i++) {
            t[i] = (double) st[i] / trainSteps;
        }
        t[n] = 0.0;
        return t;
    }
}
