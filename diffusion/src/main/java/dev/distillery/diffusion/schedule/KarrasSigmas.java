package dev.distillery.diffusion.schedule;

/**
 * The EDM / Karras noise levels (Karras et al. 2022, eq. 5; MATH.md section 0):
 * <pre>
 *   sigma_i = (sigmaMax^(1/rho) + i/(n-1) (sigmaMin^(1/rho) - sigmaMax^(1/rho)))^rho,  i = 0..n-1
 * </pre>
 * decreasing from sigmaMax to sigmaMin; n = 1 gives {@code [sigmaMax]} (diffusers' ramp
 * {@code linspace(0, 1, 1) = [0]}). Unlike k-diffusion's {@code get_sigmas_karras}, no final
 * 0 is appended: a sampler that ends at sigma = 0 adds it itself. On a discrete schedule see
 * {@link DiscreteKarras} (diffusers' {@code use_karras_sigmas}).
 */
public final class KarrasSigmas {
    private KarrasSigmas() {}

    /** {@link #levels(int, double, double, double)} with the EDM defaults (0.002, 80, rho 7). */
    public static double[] levels(int n) {
        EdmConfig c = EdmConfig.DEFAULTS;
        return levels(n, c.sigmaMin(), c.sigmaMax(), c.rho());
    }

    /** {@link #levels(int, double, double, double)} with the config's sigmaMin, sigmaMax and rho. */
    public static double[] levels(int n, EdmConfig config) {
        return levels(n, config.sigmaMin(), config.sigmaMax(), config.rho());
    }

    /**
     * The n levels {@code sigma_0 = sigmaMax > ... > sigma_{n-1} = sigmaMin}. The endpoints are set
     * to sigmaMax and sigmaMin exactly (the formula would give them only up to the rounding of
     * {@code (x^(1/rho))^rho}).
     *
     * @param n number of levels, at least 1
     * @param sigmaMin smallest level, 0 &lt; sigmaMin &lt; sigmaMax
     * @param sigmaMax largest level, finite
     * @param rho spacing exponent, &gt; 0 (larger rho concentrates levels near sigmaMin)
     */
    public static double[] levels(int n, double sigmaMin, double sigmaMax, double rho) {
        if (n < 1) {
            throw Checks.outside("n", n, "[1, " + Integer.MAX_VALUE + "]");
        }
        checkRange(sigmaMin, sigmaMax, rho);
        if (n == 1) {
            return new double[] {sigmaMax};
        }
        double invRho = 1.0 / rho;
        double maxRoot = StrictMath.pow(sigmaMax, invRho);
        double minRoot = StrictMath.pow(sigmaMin, invRho);
        double[] sigmas = new double[n];
        for (int i = 0; i < n; i++) {
            double w = (double) i / (n - 1);
            sigmas[i] = StrictMath.pow(maxRoot + w * (minRoot - maxRoot), rho);
        }
        sigmas[0] = sigmaMax;
        sigmas[n - 1] = sigmaMin;
        return sigmas;
    }

    static void checkRange(double sigmaMin, double sigmaMax, double rho) {
        if (!(sigmaMin > 0.0 && Double.isFinite(sigmaMin))) {
            throw Checks.outside("sigmaMin", sigmaMin, "(0, sigmaMax)");
        }
        if (!(sigmaMax > sigmaMin && Double.isFinite(sigmaMax))) {
            throw Checks.outside("sigmaMax", sigmaMax, "(sigmaMin = " + sigmaMin + ", +Infinity), finite");
        }
        if (!(rho > 0.0 && Double.isFinite(rho))) {
            throw Checks.outside("rho", rho, "(0, +Infinity), finite");
        }
    }
}
