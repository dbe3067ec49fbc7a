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
 */
public enum TimestepSpacing {
    LINSPACE, LEADING, TRAILING;

    /** The n steps, decreasing, in 1..T. */
    public int[] steps(int trainSteps, int n) {
        if (n < 1 || n > trainSteps) {
            throw new IllegalArgumentException("n = " + n + " is outside the allowed range [1, T = " + trainSteps + "]");
        }
        int[] k = new int[n];
        for (int i = 0; i < n; i++) {
            k[i] = switch (this) {
                case LINSPACE -> (int) Math.rint(n == 1 ? 0.0 : (double) (trainSteps - 1) * i / (n - 1));
                case LEADING -> i * (trainSteps / n);
                case TRAILING -> (int) Math.rint(trainSteps - (double) trainSteps / n * (n - 1 - i)) - 1;
            };
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = k[n - 1 - i] + 1;
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
