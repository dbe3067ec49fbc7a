package dev.distillery.cli.data;

import dev.distillery.diffusion.data.MixtureSpec;
import dev.distillery.diffusion.metrics.MixtureLogLikelihood;
import dev.distillery.diffusion.metrics.Mmd;
import dev.distillery.diffusion.metrics.ModeCoverage;
import dev.distillery.diffusion.metrics.PrecisionRecall;
import dev.distillery.diffusion.metrics.SlicedWasserstein;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The metrics of {@link Dataset#GAUSSIANS25}: against the exact mixture, on the raw points. */
final class MixtureMetrics extends Metrics {
    static final MixtureMetrics INSTANCE = new MixtureMetrics();

    private static final double[] MMD_BANDWIDTHS = {0.2, 1.0, 4.0};
    private static final MixtureSpec SPEC = Dataset.MIXTURE;

    private MixtureMetrics() {
    }

    @Override
    public Map<String, Double> measure(double[][] samples, double[][] reference, long seed) {
        Map<String, Double> m = new LinkedHashMap<>();
        double[][] finite = Rows.finite(samples);
        m.put("nonfinite_fraction", 1.0 - (double) finite.length / samples.length);
        put(m, "modes", finite, s -> ModeCoverage.of(s, SPEC).modesCovered());
        put(m, "hq_fraction", finite, s -> ModeCoverage.of(s, SPEC).highQualityFraction() * s.length / samples.length);
        // on the raw points: recall sees missing modes, precision sees mass off the data (k = 3)
        PrecisionRecall.Result pr = finite.length > PrecisionRecall.DEFAULT_K && reference.length > PrecisionRecall.DEFAULT_K
                ? PrecisionRecall.of(reference, finite) : null;
        m.put("precision", pr == null ? Double.NaN : pr.precision() * finite.length / samples.length);
        m.put("recall", pr == null ? Double.NaN : pr.recall());
        put(m, "mmd", finite, s -> Mmd.squared(s, reference, MMD_BANDWIDTHS));
        put(m, "sliced_w2", finite, s -> SlicedWasserstein.distance(s, reference, 64, seed));
        put(m, "log_density", finite, s -> MixtureLogLikelihood.mean(s, SPEC));
        return m;
    }

    @Override
    public List<Criterion> criteria() {
        return List.of(new Criterion("modes", true, Criterion.Noise.ONE_UNIT),
                new Criterion("hq_fraction", true, Criterion.Noise.BINOMIAL),
                new Criterion("recall", true, Criterion.Noise.BINOMIAL));
    }

    @Override
    public List<String> frontier() {
        return List.of("hq_fraction", "modes", "sliced_w2");
    }

    @Override
    public String note() {
        return "modes: modes covered (of 25) and hq_fraction: share of samples within 3 std of a mode "
                + "(VEEGAN protocol); precision and recall: improved precision/recall (Kynkaanniemi et al. 2019, "
                + "k = 3) of the raw points against the reference data (recall falls when modes are missed, "
                + "precision when mass lies off the data); mmd: unbiased MMD^2 (RBF, bandwidths 0.2, 1, 4) and sliced_w2: sliced "
                + "Wasserstein-2 (64 directions), both against fresh data; log_density: mean exact log p(x) "
                + "under the true mixture; teacher_distance: mean distance to the teacher's DDIM-"
                + Dataset.TEACHER_ODE_STEPS + " endpoint from the same noise.";
    }
}
