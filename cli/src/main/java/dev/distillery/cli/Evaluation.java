package dev.distillery.cli;

import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fixed yardsticks of a run: one noise batch shared by every method and step count, the
 * teacher's ODE endpoint for each noise (deterministic DDIM, {@link Dataset#TEACHER_ODE_STEPS}
 * steps), and real data to compare with. Every sample set is measured against the same three.
 */
final class Evaluation {
    private final Dataset dataset;
    private final Tensor noise;
    private final RngKey key;
    private final double[][] teacherEndpoints;
    private final double[][] reference;
    private final long seed;

    Evaluation(Dataset dataset, Teacher teacher, int samples, long seed) {
        this.dataset = dataset;
        this.seed = seed;
        this.noise = dataset.noise(samples, seed);
        this.key = keyFor(seed);
        this.teacherEndpoints = Dataset.rows(teacher.ddim(noise, Dataset.TEACHER_ODE_STEPS));
        this.reference = dataset.reference(samples, seed + 1);
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

    /** The dataset's metrics plus {@code teacher_distance} (NaN when a sample is not finite). */
    Map<String, Double> measure(double[][] samples, int nfe) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("nfe", (double) nfe);
        m.putAll(dataset.measure(samples, reference, seed));
        m.put("teacher_distance", Dataset.meanDistance(samples, teacherEndpoints));
        return m;
    }
}
