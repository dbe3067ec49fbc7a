package dev.distillery.diffusion.process;

import dev.distillery.autograd.Tensor;

/**
 * The general transition and posterior between two times s &lt; t of any Gaussian diffusion
 * (Kingma et al. 2021, VDM appendix A; MATH.md sections 1-2):
 * <pre>
 *   q(z_t | z_s)   = N(alpha_{t|s} z_s, sigma_{t|s}^2 I),  alpha_{t|s} = alpha_t / alpha_s,
 *                                                        sigma_{t|s}^2 = sigma_t^2 - alpha_{t|s}^2 sigma_s^2
 *   q(z_s | z_t, x) = N(mu, var I),
 *     mu  = alpha_{t|s} sigma_s^2 / sigma_t^2 z_t + alpha_s sigma_{t|s}^2 / sigma_t^2 x
 *     var = sigma_{t|s}^2 sigma_s^2 / sigma_t^2
 * </pre>
 * At s = t - 1 of a discrete schedule it is the posterior of {@link DiscretePosterior} (I4).
 *
 * @param coefZ coefficient of z_t in the mean
 * @param coefX coefficient of x in the mean
 * @param variance posterior variance
 */
public record ContinuousPosterior(double coefZ, double coefX, double variance) {

    /**
     * The transition {@code q(z_t | z_s)}.
     *
     * @param alphaTs {@code alpha_{t|s}}
     * @param varianceTs {@code sigma_{t|s}^2}
     */
    public record Transition(double alphaTs, double varianceTs) {
        /** {@code alpha_{t|s} = alpha_t/alpha_s}, {@code sigma_{t|s}^2 = sigma_t^2 - alpha_{t|s}^2 sigma_s^2}. */
        public static Transition between(double alphaS, double sigmaS, double alphaT, double sigmaT) {
            double a = alphaT / alphaS;
            return new Transition(a, sigmaT * sigmaT - a * a * sigmaS * sigmaS);
        }
    }

    /** The posterior {@code q(z_s | z_t, x)} for s &lt; t (sigma_t &gt; 0). */
    public static ContinuousPosterior of(double alphaS, double sigmaS, double alphaT, double sigmaT) {
        Transition tr = Transition.between(alphaS, sigmaS, alphaT, sigmaT);
        double st2 = sigmaT * sigmaT;
        double ss2 = sigmaS * sigmaS;
        return new ContinuousPosterior(tr.alphaTs() * ss2 / st2, alphaS * tr.varianceTs() / st2,
                tr.varianceTs() * ss2 / st2);
    }

    /** The mean {@code coefZ z_t + coefX x}; differentiable in both. */
    public Tensor mean(Tensor zt, Tensor x) {
        return zt.mul(coefZ).add(x.mul(coefX));
    }
}
