package dev.distillery.diffusion.identities;

import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import dev.distillery.diffusion.schedule.DiscreteSchedules;
import dev.distillery.diffusion.schedule.LogSnrLinear;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import java.util.SplittableRandom;

/** Seeded input generators shared by the identities. */
final class Inputs {
    /** The largest T the identities draw. */
    static final int MAX_STEPS = 1000;

    private Inputs() {}

    /** A linear, scaled-linear or cosine schedule with T in [2, 1000] (T = 1000 one time in four). */
    static DiscreteSchedule discrete(SplittableRandom r) {
        int steps = r.nextInt(4) == 0 ? MAX_STEPS : 2 + r.nextInt(MAX_STEPS - 1);
        return switch (r.nextInt(3)) {
            case 0 -> DiscreteSchedules.linear(steps);
            case 1 -> DiscreteSchedules.scaledLinear(steps);
            default -> DiscreteSchedules.cosine(steps);
        };
    }

    /** Continuous cosine, VDM's log-SNR-linear, or a discrete schedule's continuous view. */
    static NoiseSchedule continuous(SplittableRandom r) {
        return switch (r.nextInt(3)) {
            case 0 -> ContinuousCosine.INSTANCE;
            case 1 -> LogSnrLinear.vdmDefault();
            default -> DiscreteSchedules.cosine(1000).asContinuous();
        };
    }

    /** A standard normal draw. */
    static double normal(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log1p(-u)) * Math.cos(2.0 * Math.PI * v);
    }

    /** n standard normal draws. */
    static double[] normals(SplittableRandom r, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = normal(r);
        }
        return out;
    }

    /** Largest |a_i - b_i| / scale_i. */
    static double worstScaled(double[] a, double[] b, double[] scale) {
        double w = 0;
        for (int i = 0; i < a.length; i++) {
            w = Math.max(w, Math.abs(a[i] - b[i]) / scale[i]);
        }
        return w;
    }

    /** The Gaussian log-density {@code -(x - m)^2/(2v) - log(2 pi v)/2}. */
    static double logNormal(double x, double m, double v) {
        double d = x - m;
        return -d * d / (2 * v) - 0.5 * Math.log(2 * Math.PI * v);
    }
}
