package dev.distillery.cli.data;

import dev.distillery.diffusion.metrics.DigitsFeatures;
import dev.distillery.diffusion.metrics.FrechetDistance;
import dev.distillery.diffusion.metrics.PrecisionRecall;
import dev.distillery.diffusion.metrics.PredictedClassEntropy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The metrics of {@link Dataset#DIGITS}: FD, precision and recall on the features of a trained classifier. */
final class DigitsMetrics extends Metrics {
    static final DigitsMetrics INSTANCE = new DigitsMetrics();

    private DigitsMetrics() {
    }

    @Override
    public Map<String, Double> measure(double[][] samples, double[][] reference, long seed) {
        Map<String, Double> m = new LinkedHashMap<>();
        double[][] finite = Rows.finite(samples);
        m.put("nonfinite_fraction", 1.0 - (double) finite.length / samples.length);
        if (finite.length < 2) {
            return m;
        }
        // features and logits of the trained digits classifier (DigitsFeatures: 98.6% test accuracy)
        DigitsFeatures net = DigitsFeatures.standard();
        double[][] fs = net.features(Rows.images(finite));
        double[][] fr = net.features(Rows.images(reference));
        m.put("fd", FrechetDistance.of(fs, fr));
        PrecisionRecall.Result pr = PrecisionRecall.of(fr, fs);
        m.put("precision", pr.precision());
        m.put("recall", pr.recall());
        m.put("class_entropy", PredictedClassEntropy.of(net.logits(Rows.images(finite))).conditional());
        m.put("fd_pixels", FrechetDistance.of(finite, reference));
        return m;
    }

    @Override
    public List<Criterion> criteria() {
        // coverage first (recall: the analogue of modes), then quality (precision), then FD
        return List.of(new Criterion("recall", true, Criterion.Noise.BINOMIAL),
                new Criterion("precision", true, Criterion.Noise.BINOMIAL),
                new Criterion("fd", false, Criterion.Noise.FLOOR));
    }

    @Override
    public List<String> frontier() {
        return List.of("recall", "precision", "fd");
    }

    @Override
    public String note() {
        return "fd: Frechet distance between Gaussians fitted to the 64-d penultimate features of the digits "
                + "classifier (DigitsFeatures, 98.6% test accuracy) for samples and the 360 test digits; precision "
                + "and recall: k-NN manifolds (k = 3, Kynkaanniemi et al. 2019) in the same feature space; "
                + "class_entropy: mean entropy of the classifier's "
                + "prediction (real test: 0.04 nats; high means unrecognisable digits); fd_pixels: the same "
                + "Frechet distance on raw pixels; teacher_distance: mean distance to the teacher's DDIM-"
                + Dataset.TEACHER_ODE_STEPS + " endpoint from the same noise.";
    }
}
