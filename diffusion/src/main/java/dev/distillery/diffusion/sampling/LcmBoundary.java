package dev.distillery.diffusion.sampling;

/**
 * The boundary-condition scalings of a consistency function {@code f(x, t) = c_skip x + c_out x_hat}
 * evaluated at a discrete (diffusers, 0-based) timestep k through {@code u = k * timestepScaling}:
 * <ul>
 *   <li>{@link #lcm}: Latent Consistency Models (Luo et al. 2023, eq. 5; diffusers
 *       {@code LCMScheduler.get_scalings_for_boundary_condition_discrete}, {@code timestep_scaling}
 *       10): {@code c_skip = sd^2 / (u^2 + sd^2)}, {@code c_out = u / sqrt(u^2 + sd^2)}, sd = 0.5;</li>
 *   <li>{@link #consistencyModel}: Consistency Models (Song et al. 2023, appendix C):
 *       {@code c_skip = sd^2 / ((u - eps)^2 + sd^2)}, {@code c_out = sd (u - eps) / sqrt(u^2 + sd^2)}
 *       (the factor sd that LCM's c_out leaves out, and the shift by the smallest time eps).</li>
 * </ul>
 *
 * @param timestepScaling u per diffusers timestep
 * @param sigmaData       sd
 * @param epsilon         eps (0 for LCM)
 * @param sigmaDataInOut  whether c_out carries sd (consistency models) or not (LCM)
 */
public record LcmBoundary(double timestepScaling, double sigmaData, double epsilon, boolean sigmaDataInOut) {

    /** LCM's scalings with diffusers' defaults: timestep_scaling 10, sigma_data 0.5. */
    public static LcmBoundary lcm() {
        return new LcmBoundary(10.0, 0.5, 0.0, false);
    }

    /** The consistency-model convention at the same u, with sigma_data sd and smallest time eps. */
    public static LcmBoundary consistencyModel(double timestepScaling, double sigmaData, double epsilon) {
        return new LcmBoundary(timestepScaling, sigmaData, epsilon, true);
    }

    /** {@code c_skip} at diffusers timestep k. */
    public double cSkip(double k) {
        double u = k * timestepScaling - epsilon;
        return sigmaData * sigmaData / (u * u + sigmaData * sigmaData);
    }

    /** {@code c_out} at diffusers timestep k. */
    public double cOut(double k) {
        double u = k * timestepScaling;
        double out = (u - epsilon) / Math.sqrt(u * u + sigmaData * sigmaData);
        return sigmaDataInOut ? sigmaData * out : out;
    }
}
