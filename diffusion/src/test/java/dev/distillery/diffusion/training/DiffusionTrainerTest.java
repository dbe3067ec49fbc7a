package dev.distillery.diffusion.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.data.DataSource;
import dev.distillery.diffusion.data.MixtureSpec;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.NeuralDenoisers;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.loss.XLossWeighting;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.diffusion.schedule.DiscreteSchedules;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.MlpDenoiser;
import dev.distillery.nn.models.ModelInput;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Properties of {@link DiffusionTrainer} on tiny problems (each well under a few seconds). */
class DiffusionTrainerTest {
    /** Two well-separated modes in 2-D: learnable in a hundred steps. */
    private static final DataSource TWO_MODES = DataSource.mixture(
            MixtureSpec.equalWeights(new double[][] {{-1, -1}, {1, 1}}, 0.2),
            DType.F32);

    private static MlpConfig tinyMlp(long seed) {
        return new MlpConfig(2, 64, 2, 32, 1000.0, Conditioning.none(), false, DType.F32, seed);
    }

    private static TrainingConfig tinyConfig(Prediction p, int steps) {
        return new TrainingConfig(p, null, steps, 128, 3e-3, 10, false, 0.0, 0.0, 0.0, 0, 7L);
    }

    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }

    @ParameterizedTest
    @EnumSource(Prediction.class)
    void lossDecreasesOnTwoModesForEachPrediction(Prediction kind) {
        assertLossDecreases(tinyConfig(kind, 200), ContinuousCosine.INSTANCE);
    }

    @Test
    void lossDecreasesWithTruncatedSnrWeightingOnADiscreteSchedule() {
        var sch = DiscreteSchedules.linear(1000);
        assertLossDecreases(tinyConfig(Prediction.X0, 200).withWeighting(XLossWeighting.TRUNCATED_SNR)
                .withTimesteps(sch.steps()), sch.asContinuous());
    }

    private static void assertLossDecreases(TrainingConfig cfg, NoiseSchedule sch) {
        DiffusionTrainer tr = new DiffusionTrainer(tinyMlp(1).build(), sch, cfg);
        tr.train(TWO_MODES, new Rng(3), null);
        double[] h = tr.lossHistory();
        assertEquals(cfg.steps(), h.length);
        double first = mean(h, 0, 20);
        double last = mean(h, h.length - 40, h.length);
        System.out.printf("%s %s: loss %.4f -> %.4f%n", cfg.prediction(), cfg.weighting(), first, last);
        assertTrue(last < 0.9 * first, cfg.prediction() + ": loss " + first + " -> " + last);
    }

    @Test
    void labelDropoutReplacesTheConfiguredShareOfLabels() {
        MlpConfig c = tinyMlp(2).withConditioning(Conditioning.none().withClasses(2));
        DiffusionTrainer tr = new DiffusionTrainer(c.build(), ContinuousCosine.INSTANCE,
                tinyConfig(Prediction.V, 30).withBatchSize(256).withLabelDropout(0.3));
        double dropped = 0;
        Rng rng = new Rng(5);
        for (int i = 0; i < 30; i++) {
            dropped += tr.step(TWO_MODES.batch(256, rng), rng).get("label_dropped");
        }
        dropped /= 30;
        // binomial: std of the mean of 7680 draws is 0.0052; allow 5 std
        assertEquals(0.3, dropped, 0.026, "observed label dropout rate");
    }

    @Test
    void unconditionalModelsIgnoreLabelsAndConditionalOnesGetThemThroughTheDenoiser() {
        // the mixture source labels its samples; an unconditional network must not see them
        DiffusionTrainer tr = new DiffusionTrainer(tinyMlp(3).build(), ContinuousCosine.INSTANCE, tinyConfig(Prediction.EPS, 2));
        Rng rng = new Rng(1);
        assertTrue(Double.isFinite(tr.step(TWO_MODES.batch(8, rng), rng).get("loss")));
        assertNull(tr.emaModel());

        MlpDenoiser cond = tinyMlp(4).withConditioning(Conditioning.none().withClasses(2)).build();
        Denoiser d = NeuralDenoisers.of(cond, Prediction.X0, ContinuousCosine.INSTANCE);
        Tensor z = Tensor.randn(DType.F32, 1L, 0L, 3, 2);
        Tensor t = PerSample.time(0.5, 3, DType.F32);
        int[] labels = {0, 1, Conditioning.NULL_LABEL};
        Tensor direct = cond.forward(new ModelInput(z, t, null, labels, null));
        assertArrayEquals(direct.toFloatArray(), d.x0(z, t, Condition.labels(labels)).toFloatArray());
    }

    @Test
    void denoiserOfTheEmaModelWhenEmaIsOn() {
        DiffusionTrainer tr = new DiffusionTrainer(tinyMlp(5).build(), ContinuousCosine.INSTANCE,
                tinyConfig(Prediction.V, 3).withEmaDecay(0.9));
        tr.train(TWO_MODES, new Rng(2), null);
        assertNotNull(tr.emaModel());
        MlpDenoiser ema = (MlpDenoiser) tr.emaModel();
        Tensor z = Tensor.randn(DType.F32, 2L, 0L, 4, 2);
        Tensor t = PerSample.time(0.3, 4, DType.F32);
        assertArrayEquals(ema.forward(z, t).toFloatArray(), tr.denoiser().v(z, t, Condition.NONE).toFloatArray());
    }

    @Test
    void sameSeedGivesBitIdenticalParametersWithOneOrTwoThreads() {
        Map<String, Tensor> one = fiveSteps(1);
        Map<String, Tensor> two = fiveSteps(2);
        assertEquals(one.keySet(), two.keySet());
        one.forEach((k, v) -> assertArrayEquals(v.toFloatArray(), two.get(k).toFloatArray(), "parameter " + k));
    }

    private static Map<String, Tensor> fiveSteps(int threads) {
        try (var s = Backends.use(Backends.create("simd", threads))) {
            MlpDenoiser net = new MlpConfig(2, 256, 3, 128, 1000.0, Conditioning.none(), false, DType.F32, 9L).build();
            TrainingConfig cfg = TrainingConfig.defaults().withSteps(5).withBatchSize(256).withSeed(11L);
            DiffusionTrainer tr = new DiffusionTrainer(net, ContinuousCosine.INSTANCE, cfg);
            tr.train(Recipes.gaussians25Data(), null, null);
            Module m = tr.emaModel();
            var out = new java.util.LinkedHashMap<String, Tensor>(tr.model().namedParameters());
            m.namedParameters().forEach((k, v) -> out.put("ema." + k, v));
            return out;
        }
    }
}
