package dev.distillery.sweep;

import dev.distillery.cli.report.SeedAggregate;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * A metric over the seeds of one setting: its mean and a 95 % confidence interval of the mean,
 * {@code mean +- t(0.975, k - 1) sd / sqrt(k)} over the k seeds where it is finite (Student's t:
 * with three seeds the interval is wide, as it should be). No interval with fewer than two values.
 *
 * @param half the interval's half-width (NaN with fewer than two finite values)
 * @param n    the finite values it rests on
 */
public record SeedSpread(double mean, double half, int n) {

    /** The spread of the finite values of {@code v}. */
    public static SeedSpread of(double[] v) {
        int k = (int) java.util.Arrays.stream(v).filter(Double::isFinite).count();
        if (k < 2) {
            return new SeedSpread(SeedAggregate.mean(v), Double.NaN, k);
        }
        double t = new TDistribution(k - 1).inverseCumulativeProbability(0.975);
        return new SeedSpread(SeedAggregate.mean(v), t * SeedAggregate.sd(v) / Math.sqrt(k), k);
    }

    public double low() {
        return mean - half;
    }

    public double high() {
        return mean + half;
    }
}
