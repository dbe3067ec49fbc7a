package dev.distillery.distill.identities;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.diffusion.schedule.DiscreteSchedules;
import dev.distillery.diffusion.schedule.LogSnrLinear;
import dev.distillery.diffusion.schedule.NoiseSchedule;

import java.util.SplittableRandom;

/** Seeded random inputs shared by the identity measures. */
final class Inputs {
    /** 2^-52, the gap between 1 and the next double; the unit roundoff is EPS / 2. */
    static final double EPS = Math.ulp(1.0);

    private Inputs() {
    }

    /**
     * A schedule: the continuous cosine (alpha(1) = 0 exactly), a log-SNR-linear one with random
     * endpoints, or a discrete cosine / zero-terminal-SNR linear schedule of random length seen in
     * continuous time.
     */
    static NoiseSchedule schedule(SplittableRandom r) {
        switch (r.nextInt(4)) {
            case 0:
                return ContinuousCosine.INSTANCE;
            case 1:
                return new LogSnrLinear(r.nextDouble(2.0, 15.0), r.nextDouble(-15.0, -1.0));
            case 2:
                return DiscreteSchedules.cosine(r.nextInt(10, 1001)).asContinuous();
            default:
                return DiscreteSchedules.rescaleZeroTerminalSnr(DiscreteSchedules.linear(r.nextInt(10, 1001))).asContinuous();
        }
    }

    /** A batch shape {@code [B, ...]}: B in 1..4, one to three data dims of 1..5. */
    static int[] shape(SplittableRandom r) {
        int rank = 2 + r.nextInt(3);
        int[] dims = new int[rank];
        dims[0] = 1 + r.nextInt(4);
        for (int i = 1; i < rank; i++) {
            dims[i] = 1 + r.nextInt(5);
        }
        return dims;
    }

    /** Standard normal F64 values times a scale drawn log-uniformly from [1e-2, 1e2]. */
    static Tensor randn(SplittableRandom r, int... dims) {
        double scale = Math.pow(10.0, r.nextDouble(-2.0, 2.0));
        return Tensor.randn(DType.F64, r.nextLong(), 0, dims).mul(scale);
    }

    /** Standard normal F64 values. */
    static Tensor standardNormal(SplittableRandom r, int... dims) {
        return Tensor.randn(DType.F64, r.nextLong(), 0, dims);
    }
}
