package dev.distillery.diffusion.schedule;

/**
 * EDM noise-level hyperparameters (Karras et al. 2022, "Elucidating the design space of
 * diffusion-based generative models", Table 1 and section 5).
 *
 * @param sigmaMin smallest noise level of the sampling grid (EDM: 0.002)
 * @param sigmaMax largest noise level (EDM: 80)
 * @param sigmaData standard deviation of the data, used by the preconditioning (EDM: 0.5)
 * @param rho exponent of the level spacing (EDM: 7)
 */
public record EdmConfig(double sigmaMin, double sigmaMax, double sigmaData, double rho) {
    /** The paper's defaults: sigma_min 0.002, sigma_max 80, sigma_data 0.5, rho 7. */
    public static final EdmConfig DEFAULTS = new EdmConfig(0.002, 80.0, 0.5, 7.0);

    public EdmConfig {
        KarrasSigmas.checkRange(sigmaMin, sigmaMax, rho);
        if (!(sigmaData > 0.0 && Double.isFinite(sigmaData))) {
            throw Checks.outside("sigmaData", sigmaData, "(0, +Infinity), finite");
        }
    }
}
