package dev.distillery.identities;

import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.diffusion.schedule.DiscreteSchedule;
import dev.distillery.diffusion.schedule.DiscreteSchedules;
import dev.distillery.diffusion.schedule.LogSnrLinear;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.proptest.Gen;
import dev.distillery.proptest.Gens;
import dev.distillery.proptest.Shrinkers;

import java.util.Arrays;

/**
 * Generators of the math's own inputs, with shrink trees (issue 21): a failing identity shrinks to
 * the smallest time, the simplest schedule, the fewest and plainest data values that still break it,
 * and the report prints them, instead of "seed 1234567".
 *
 * <p>Each generator hits the points where the math is ill-conditioned (times next to 0 and 1,
 * {@code alpha_bar} next to 0 and 1, outliers in the data) much more often than uniform draws would.
 * Shrinking goes toward the low end of a range (the smallest time, the smallest {@code alpha_bar}),
 * whole numbers and short decimals, the first schedule family, fewer steps, fewer and smaller dims,
 * and data values of 0.
 */
public final class MathGens {
    /** The smallest time drawn: t = 0 is a boundary where several coefficients vanish exactly. */
    public static final double MIN_TIME = 1e-6;

    private MathGens() {
    }

    /** Times in {@code [1e-6, 1]}, with edges 1e-6, 1e-3, 1/2, 1 - 1e-9 and 1. */
    public static Gen<Double> times() {
        return Gens.doubles(MIN_TIME, 1.0, 1e-3, 0.5, 1 - 1e-9);
    }

    /** {@code alpha_bar} in {@code [1e-12, 1 - 1e-12]}, with edges 1e-6, 1/2 and 1 - 1e-6. */
    public static Gen<Double> alphaBars() {
        return Gens.doubles(1e-12, 1 - 1e-12, 1e-6, 0.5, 1 - 1e-6);
    }

    /** Every schedule family of the diffusion layer, discrete ones seen through {@code asContinuous()}. */
    public enum Family {
        LINEAR, SCALED_LINEAR, COSINE, COSINE_ZERO_TERMINAL_SNR, CONTINUOUS_COSINE, LOG_SNR_LINEAR;

        /** True for the families built from a table of betas. */
        public boolean discrete() {
            return ordinal() <= COSINE_ZERO_TERMINAL_SNR.ordinal();
        }
    }

    /**
     * A schedule family and, for discrete families, its number of steps T.
     *
     * @param family which family
     * @param steps T in [2, 1000] (ignored by the continuous families)
     */
    public record ScheduleCase(Family family, int steps) {
        /** The discrete schedule; only for {@link Family#discrete()} families. */
        public DiscreteSchedule discrete() {
            return switch (family) {
                case LINEAR -> DiscreteSchedules.linear(steps);
                case SCALED_LINEAR -> DiscreteSchedules.scaledLinear(steps);
                case COSINE -> DiscreteSchedules.cosine(steps);
                case COSINE_ZERO_TERMINAL_SNR -> DiscreteSchedules.rescaleZeroTerminalSnr(DiscreteSchedules.cosine(steps));
                default -> throw new IllegalStateException(family + " is not discrete");
            };
        }

        /** The schedule in continuous time t in [0, 1]. */
        public NoiseSchedule schedule() {
            return switch (family) {
                case CONTINUOUS_COSINE -> ContinuousCosine.INSTANCE;
                case LOG_SNR_LINEAR -> LogSnrLinear.vdmDefault();
                default -> discrete().asContinuous();
            };
        }

        @Override
        public String toString() {
            return family.discrete() ? family + "(T = " + steps + ")" : family.toString();
        }
    }

    /** Any family, T in [2, 1000] (T = 1000 now and then); shrinks to LINEAR with T = 2. */
    public static Gen<ScheduleCase> schedules() {
        return Gen.zip(Gens.elementOf(Family.values()), Gens.ints(2, 1000), ScheduleCase::new);
    }

    /** Only the discrete families. */
    public static Gen<ScheduleCase> discreteSchedules() {
        return Gen.zip(Gens.elementOf(Arrays.stream(Family.values()).filter(Family::discrete).toList()),
                Gens.ints(2, 1000), ScheduleCase::new);
    }

    /**
     * A data value: standard normal most of the time, one time in five an outlier
     * {@code +-10^k}, k in [2, 6]. Shrinks toward 0, whole numbers and short decimals.
     */
    public static Gen<Double> dataValues() {
        return Gen.of(r -> r.nextInt(5) == 0
                        ? (r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextInt(2, 7))
                        : r.nextGaussian(),
                x -> Shrinkers.towards(x, -1e6, 1e6));
    }

    /**
     * A batch of data: a shape {@code [B, ...]} of rank 1 to 3 with dims in [1, 4], and its values.
     *
     * @param shape the dims, batch first
     * @param values numel values from {@link #dataValues()}
     */
    public record Batch(int[] shape, double[] values) {
        @Override
        public String toString() {
            return "Batch" + Arrays.toString(shape) + " " + Arrays.toString(values);
        }
    }

    /** Batches; shrink toward fewer and smaller dims, then toward 0 values. */
    public static Gen<Batch> batches() {
        return Gens.shapes(1, 3, 4).flatMap(shape -> {
            int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            return Gen.listOf(Gen.constant(n), dataValues())
                    .map(v -> new Batch(shape, v.stream().mapToDouble(Double::doubleValue).toArray()));
        });
    }
}
