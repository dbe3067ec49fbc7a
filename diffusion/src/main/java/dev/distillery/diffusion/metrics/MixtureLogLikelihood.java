package dev.distillery.diffusion.metrics;

import dev.distillery.diffusion.data.MixtureSpec;

/**
 * Mean exact log-density of samples under the true mixture,
 * {@code (1/n) sum_j log sum_k pi_k N(x_j; mu_k, s_k^2 I)} (nats); higher is better, but it rewards
 * collapse onto modes, so read it beside recall or mode coverage.
 */
public final class MixtureLogLikelihood {
    private MixtureLogLikelihood() {}

    /** The mean of {@link MixtureSpec#logDensity} over the samples. */
    public static double mean(double[][] samples, MixtureSpec spec) {
        double s = 0;
        for (double[] x : samples) {
            s += spec.logDensity(x);
        }
        return s / samples.length;
    }
}
