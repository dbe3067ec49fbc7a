package dev.distillery.cli.run;


import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.data.Metrics;
import dev.distillery.cli.data.Rows;
import dev.distillery.cli.teacher.Teacher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fixed yardsticks of a run: one noise batch shared by every method and step count, the
 * teacher's ODE endpoint for each noise (deterministic DDIM, {@link Dataset#TEACHER_ODE_STEPS}
 * steps), and real data to compare with. Every sample set is measured against the same three.
 */
public final class Evaluation {
    private final Dataset dataset;
    private final Tensor noise;
    private final RngKey key;
    private final double[][] teacherEndpoints;
    private final double[][] reference;
    private final long seed;
    private final double endpointSeconds;

    public Evaluation(Dataset dataset, Teacher teacher, int samples, long seed) {
        this.dataset = dataset;
        this.seed = seed;
        this.noise = dataset.noise(samples, seed);
        this.key = keyFor(seed);
        long start = System.nanoTime();
        this.teacherEndpoints = Rows.of(teacher.ddim(noise, Dataset.TEACHER_ODE_STEPS));
        this.endpointSeconds = MethodRun.seconds(start);
        this.reference = reference(dataset, samples, seed);
    }

    /** The reference of a run of seed {@code seed}: {@code n} rows of real data from the seed after it. */
    private static double[][] reference(Dataset dataset, int n, long seed) {
        return dataset.reference(n, seed + 1);
    }

    /**
     * {@code eval}'s measurement of samples alone: the dataset's metrics against the reference a run
     * of {@code seed} draws, at their count (at least 2), without the teacher distance.
     */
    public static Map<String, Double> measureAlone(Dataset dataset, double[][] samples, long seed) {
        return Metrics.of(dataset).measure(samples, reference(dataset, Math.max(samples.length, 2), seed), seed);
    }

    /** The key of {@link #key()} for a run of seed {@code seed}. */
    static RngKey keyFor(long seed) {
        return RngKey.of(seed).fold(1);
    }

    Tensor noise() {
        return noise;
    }

    /** The key for noise a multistep sampler injects. */
    RngKey key() {
        return key;
    }

    double[][] teacherEndpoints() {
        return teacherEndpoints;
    }

    double[][] reference() {
        return reference;
    }

    /** Wall-clock seconds the teacher's DDIM-{@value Dataset#TEACHER_ODE_STEPS} endpoints took. */
    double endpointSeconds() {
        return endpointSeconds;
    }

    /** The run's seed (of noise, reference and metric randomness). */
    long seed() {
        return seed;
    }

    /** The number of evaluation samples. */
    int samples() {
        return noise.dim(0);
    }

    /**
     * The real-vs-real floor: the dataset's metrics of an independent real sample of the run's size
     * ({@link Dataset#realSample}) against the same reference every sample set is measured against;
     * what each metric reads when nothing at all is wrong. {@code nfe} is 0 and
     * {@code teacher_distance} NaN (real data has no noise to pair it with).
     */
    Map<String, Double> measureFloor() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("nfe", 0.0);
        m.putAll(Metrics.of(dataset).measure(dataset.realSample(samples(), seed), reference, seed));
        m.put("teacher_distance", Double.NaN);
        return m;
    }

    /** The dataset's metrics plus {@code teacher_distance} (NaN when a sample is not finite). */
    Map<String, Double> measure(double[][] samples, int nfe) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("nfe", (double) nfe);
        m.putAll(Metrics.of(dataset).measure(samples, reference, seed));
        m.put("teacher_distance", Rows.meanDistance(samples, teacherEndpoints));
        return m;
    }
}
