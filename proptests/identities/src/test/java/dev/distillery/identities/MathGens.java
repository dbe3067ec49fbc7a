package dev.distillery.identities;

import dev.distillery.diffusion.identities.EdgeChoices;
import dev.distillery.diffusion.identities.ScheduleCase;
import dev.distillery.proptest.Gen;
import dev.distillery.proptest.Gens;
import dev.distillery.proptest.Shrinkable;
import dev.distillery.proptest.Shrinkers;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Generators of the math's own inputs, with shrink trees (issue 21): a failing identity shrinks to
 * the smallest time, the simplest schedule, the fewest and plainest data values that still break it,
 * and the report prints them, instead of "seed 1234567".
 *
 * <p>Each generator hits the points where the math is ill-conditioned (times next to 0 and 1,
 * {@code alpha_bar} next to 0 and 1, outliers in the data) much more often than uniform draws would,
 * and declares them as edge cases ({@link Gen#edgeCases}), which a property tries before any random
 * value ({@link #combine} keeps them when several generators are combined).
 * Shrinking goes toward the low end of a range (the smallest time, the smallest {@code alpha_bar}),
 * whole numbers and short decimals, the first schedule family, fewer steps, fewer and smaller dims,
 * and data values of 0.
 */
public final class MathGens {
    /** The smallest time drawn: t = 0 is a boundary where several coefficients vanish exactly. */
    public static final double MIN_TIME = 1e-6;

    private MathGens() {
    }

    /** Times in {@code [1e-6, 1]}, with edges 1e-6, 1e-3, 1/2, 1 - 1e-9 and 1 (tried first, in this order). */
    public static Gen<Double> times() {
        return Gens.doubles(MIN_TIME, 1.0, 1e-3, 0.5, 1 - 1e-9)
                .withEdgeCases(List.of(MIN_TIME, 1e-3, 0.5, 1 - 1e-9, 1.0), x -> Shrinkers.towards(x, MIN_TIME, 1.0));
    }

    /**
     * {@code alpha_bar} in {@code [1e-12, 1 - 1e-12]}, with edges 1e-6, 1/2 and 1 - 1e-6; the edge cases
     * tried first are the bounds (alpha_bar a trillionth from 0 and from 1) and those three.
     */
    public static Gen<Double> alphaBars() {
        double lo = 1e-12;
        double hi = 1 - 1e-12;
        return Gens.doubles(lo, hi, 1e-6, 0.5, 1 - 1e-6)
                .withEdgeCases(List.of(lo, 1e-6, 0.5, 1 - 1e-6, hi), x -> Shrinkers.towards(x, lo, hi));
    }

    /**
     * Any schedule of the diffusion layer ({@link ScheduleCase}: every family, T in [2, 1000] for the
     * discrete ones, the log-SNR endpoints for the log-SNR-linear one), built by the same choices as
     * the identities' inputs, so with their edge cases (every family, T = 2 and 1000) and shrinking
     * (to LINEAR with T = 2).
     */
    public static Gen<ScheduleCase> schedules() {
        return IdentityGen.from(c -> ScheduleCase.choose(c, ScheduleCase.ALL));
    }

    /** Only the discrete families. */
    public static Gen<ScheduleCase> discreteSchedules() {
        return IdentityGen.from(c -> ScheduleCase.choose(c, ScheduleCase.DISCRETE));
    }

    /** The data values tried first: 0, 1, -1, the largest outliers, a tiny value. */
    public static final List<Double> DATA_EDGES = EdgeChoices.DATA_EDGES;

    /**
     * A data value: standard normal most of the time, one time in five an outlier
     * {@code +-10^k}, k in [2, 6]; edge cases {@link #DATA_EDGES}. Shrinks to 0 or +-1, else toward 0,
     * whole numbers and short decimals ({@link #shrinkData}).
     */
    public static Gen<Double> dataValues() {
        return Gen.of(r -> r.nextInt(5) == 0
                        ? (r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextInt(2, 7))
                        : r.nextGaussian(),
                MathGens::shrinkData).withEdgeCases(DATA_EDGES, MathGens::shrinkData);
    }

    /**
     * The simpler data values than x, simplest first: 0, then 1 with x's sign (a fraction such as
     * 0.37 that still fails at 1 is best read as 1), then {@link Shrinkers#towards(double, double, double)}
     * within {@code [-1e6, 1e6]}. From +-1 only 0 is simpler, so shrinking ends.
     */
    public static Stream<Double> shrinkData(double x) {
        Stream<Double> unit = Math.abs(x) == 1.0 || x == 0.0 ? Stream.empty() : Stream.of(Math.copySign(1.0, x));
        return Stream.concat(Stream.concat(x == 0.0 ? Stream.<Double>empty() : Stream.of(0.0), unit),
                Shrinkers.towards(x, -1e6, 1e6)).distinct().filter(v -> v != x);
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

    /**
     * Batches; shrink toward fewer and smaller dims, then toward 0 values. Edge cases: one element of
     * each data edge, then the largest shape ({@code [4, 4, 4]}) with the data edges in turn, then
     * an odd one ({@code [4, 1, 4]}), as {@link EdgeChoices} makes them.
     */
    public static Gen<Batch> batches() {
        return IdentityGen.from(c -> {
            int[] shape = c.shape("shape", 1, 3, 4);
            return new Batch(shape, c.data("values", Arrays.stream(shape).reduce(1, (a, b) -> a * b)));
        });
    }

    /**
     * {@link Gen#all} of {@code parts}, combined by {@code f}, with the edge cases carried through:
     * combination k of the parts' edge cases (see {@link Gen#all}) combined by f. Plain
     * {@code Gen.zip(...).map(...)} drops them.
     */
    public static <R> Gen<R> combine(Function<List<Object>, R> f, Gen<?>... parts) {
        Gen<List<Object>> all = Gen.all(List.of(parts));
        return new Gen<>() {
            @Override
            public Shrinkable<R> generate(SplittableRandom random) {
                return all.generate(random).map(f);
            }

            @Override
            public List<Shrinkable<R>> edgeCases() {
                return all.edgeCases().stream().map(e -> e.map(f)).toList();
            }
        };
    }
}
