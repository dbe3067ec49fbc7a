package dev.distillery.diffusion.schedule;

/**
 * Karras noise levels on a discrete schedule, as diffusers' {@code use_karras_sigmas = True}
 * ({@code EulerDiscreteScheduler}, {@code DPMSolverMultistepScheduler}): the training levels
 * {@code sigma_k = sqrt((1 - abar) / abar)} at diffusers timesteps k = 0..T-1 (our steps k + 1),
 * n Karras levels (Karras et al. 2022, eq. 5) from {@code sigma_{T-1}} down to {@code sigma_0}, and
 * for each level the fractional timestep the network is called at, found by linear interpolation
 * in log sigma between neighbouring training levels ({@code _sigma_to_t}):
 * <pre>
 *   l = log max(sigma, 1e-10),  j = #{k : log sigma_k <= l} - 1 clipped to [0, T - 2],
 *   w = clip((log sigma_j - l) / (log sigma_j - log sigma_{j+1}), 0, 1),   timestep = j + w
 * </pre>
 * (diffusers' timestep; ours is timestep + 1, continuous time (timestep + 1) / T). This differs from
 * {@link DiscreteSchedule#indexFromSigmaEdm}, which interpolates linearly in abar.
 */
public final class DiscreteKarras {
    private DiscreteKarras() {}

    /**
     * The levels and their diffusers timesteps.
     *
     * @param sigmas    n decreasing Karras levels
     * @param timesteps diffusers' fractional timesteps of the levels
     */
    public record Grid(double[] sigmas, double[] timesteps) {
    }

    /** n Karras levels with rho between the schedule's extreme training levels, and their timesteps. */
    public static Grid of(DiscreteSchedule s, int n, double rho) {
        double[] sigmas = KarrasSigmas.levels(n, s.sigmaEdm(1), s.sigmaEdm(s.steps()), rho);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = timestepOfSigma(s, sigmas[i]);
        }
        return new Grid(sigmas, t);
    }

    /** diffusers' fractional timestep of level sigma (log-sigma interpolation, see the class notes). */
    public static double timestepOfSigma(DiscreteSchedule s, double sigma) {
        int steps = s.steps();
        double l = Math.log(Math.max(sigma, 1e-10));
        int count = 0;                                  // training levels at or below sigma (they increase with k)
        for (int k = 0; k < steps; k++) {
            count += Math.log(s.sigmaEdm(k + 1)) <= l ? 1 : 0;
        }
        int j = Math.min(Math.max(count - 1, 0), steps - 2);
        double low = Math.log(s.sigmaEdm(j + 1));
        double high = Math.log(s.sigmaEdm(j + 2));
        double w = Math.min(1.0, Math.max(0.0, (low - l) / (low - high)));
        return j + w;
    }
}
