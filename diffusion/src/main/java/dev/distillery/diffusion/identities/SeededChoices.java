package dev.distillery.diffusion.identities;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Random answers to an identity's {@link Choices}, from a seeded source: the inputs of
 * {@code distillery audit} and of the diffusion and distill modules' identity tests. The distributions
 * are those of the property harness's generators (reals and integers: one draw in five an edge or a
 * bound, else uniform; data: standard normal, one in five an outlier {@code +-10^k}, k in [2, 6];
 * shapes: uniform rank and dims), so the audit searches the space the properties search.
 * Not thread-safe (it advances its random source).
 */
public final class SeededChoices implements Choices {
    /** One draw in this many is an edge (or bound) rather than a uniform value. */
    static final int EDGE_ODDS = 5;

    private final SplittableRandom random;

    /** Answers drawn from {@code random}, which each answer advances. */
    public SeededChoices(SplittableRandom random) {
        this.random = random;
    }

    @Override
    public double real(String name, double lo, double hi, double... edges) {
        EdgeChoices.check(name, lo, hi);
        if (random.nextInt(EDGE_ODDS) == 0) {
            double[] all = EdgeChoices.realEdges(name, lo, hi, edges);
            return all[random.nextInt(all.length)];
        }
        double u = random.nextDouble();
        return Math.min(hi, Math.max(lo, lo * (1 - u) + hi * u));
    }

    @Override
    public int integer(String name, int lo, int hi, int... edges) {
        if (lo > hi) {
            throw new IllegalArgumentException(name + ": lo " + lo + " > hi " + hi);
        }
        if (random.nextInt(EDGE_ODDS) == 0) {
            int[] all = EdgeChoices.intEdges(name, lo, hi, edges);
            return all[random.nextInt(all.length)];
        }
        return (int) random.nextLong(lo, (long) hi + 1);
    }

    @Override
    public <E> E pick(String name, List<E> options) {
        return options.get(random.nextInt(options.size()));
    }

    @Override
    public double[] data(String name, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextInt(EDGE_ODDS) == 0
                    ? (random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextInt(2, 7))
                    : random.nextGaussian();
        }
        return out;
    }

    @Override
    public int[] shape(String name, int minRank, int maxRank, int maxDim) {
        int[] dims = new int[random.nextInt(minRank, maxRank + 1)];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = random.nextInt(1, maxDim + 1);
        }
        return dims;
    }
}
