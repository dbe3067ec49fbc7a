package dev.distillery.distill.matching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;

import java.util.function.Function;

import org.junit.jupiter.api.Test;

/**
 * The distribution-matching students at one step on 25-Gaussians, with CI budgets: each starts
 * from the small trained teacher network of {@link Toy25#trainedTeacherSetup} (the demo's
 * architecture, {@code Recipes.mlpConfig25Gaussians} with its 128 input Fourier features, at
 * width 64), as the demo's students start from the demo's teacher, and is trained with its
 * registry recipe (cosine decay over the budget). Bounds: the measured values of these seeds with
 * margin; the demo-scale numbers are in docs/RESULTS.md, distribution-matching section.
 */
class MatchingConvergenceTest {
    private static final int BATCH = 128;
    private static final int DMD_STEPS = 2000;
    /** Measured with this seed: 23 modes, HQ 0.45 (the demo's teacher, width 256, 2000 steps: 25, 0.71). */
    private static final int DMD_MODES = 20;
    private static final double DMD_HQ = 0.35;
    private static final int SPREAD_STEPS = 600;

    private static Toy25.Run run(Function<DistillSetup, Distiller> make, int steps) {
        return Toy25.train(make.apply(Toy25.trainedTeacherSetup(BATCH)), steps, 11L, 1);
    }

    /** DMD: the regression on teacher pairs carries coverage, the DMD gradient keeps samples on the modes. */
    @Test
    void dmdCoversTheModesAtOneStep() {
        Toy25.Run r = run(s -> new DistributionMatchingDistillation(s,
                DistributionMatchingDistillation.Config.dmd().withDecay(DMD_STEPS)), DMD_STEPS);
        assertTrue(r.at(1).modes() >= DMD_MODES && r.at(1).hq() >= DMD_HQ, r.at(1).toString());
    }

    /**
     * The unbiased-score recipe (DMD with the estimator for the fake score and DMD's regression
     * loss) at DMD's budget and bounds. Measured with this seed: 23 modes, HQ 0.43 (DMD: 24, 0.45).
     */
    @Test
    void unbiasedScoreWithRegressionCoversTheModesAtOneStep() {
        Toy25.Run r = run(s -> new UnbiasedScoreDistillation(s,
                UnbiasedScoreDistillation.Config.defaults().withDecay(DMD_STEPS)), DMD_STEPS);
        System.out.println("[toy25] unbiased-score with regression " + r.at(1));
        assertTrue(r.at(1).modes() >= DMD_MODES && r.at(1).hq() >= DMD_HQ, r.at(1).toString());
    }

    /**
     * DMD2 without regression spreads the generator over the data's square but does not snap
     * samples onto the modes (docs/RESULTS.md, distribution-matching section): the bound pins what it reaches, so a
     * regression of the method shows, and a fix can raise it. Measured: 24 basins, MMD^2 0.019, 1 mode.
     */
    @Test
    void dmd2SpreadsOverTheModesAtOneStep() {
        assertSpreadOverTheBasins(s -> new DistributionMatchingDistillation(s,
                DistributionMatchingDistillation.Config.dmd2().withDecay(SPREAD_STEPS)));
    }

    /** As DMD2, with the fake score from generator samples. Measured: 25 basins, MMD^2 0.020, 0 modes. */
    @Test
    void unbiasedScoreSpreadsOverTheModesAtOneStep() {
        assertSpreadOverTheBasins(s -> new UnbiasedScoreDistillation(s,
                UnbiasedScoreDistillation.Config.estimatorOnly().withDecay(SPREAD_STEPS)));
    }

    /**
     * SDS seeks modes (Poole et al. 2022, eq. 3 with a delta fake score): every sample climbs the
     * teacher's density and nothing spreads them, so from the same start and budget it covers few
     * modes, while the unbiased score estimator (the fake score fitted on generator samples)
     * spreads the generator far wider. Measured: SDS 1 mode, 1 basin (MMD^2 0.88); unbiased-score
     * 25 basins.
     */
    @Test
    void sdsCollapsesAndTheUnbiasedScoreEstimatorSpreadsFromTheSameStart() {
        Distiller sds = trained(s -> new ScoreDistillationSampling(s, ScoreDistillationSampling.Config.defaults()),
                SPREAD_STEPS);
        Distiller unbiased = trained(s -> new UnbiasedScoreDistillation(s,
                UnbiasedScoreDistillation.Config.estimatorOnly().withDecay(SPREAD_STEPS)), SPREAD_STEPS);
        Toy25.Eval sdsEval = Toy25.evaluate(sds.generator(), 1, 28L);
        int sdsBasins = basinsReached(sds);
        int unbiasedBasins = basinsReached(unbiased);
        System.out.println("[toy25] sds " + sdsEval + " basins=" + sdsBasins + "; unbiased-score basins=" + unbiasedBasins);
        assertTrue(sdsEval.modes() <= 2 && sdsBasins <= 2, "sds " + sdsEval + " basins " + sdsBasins);
        assertTrue(unbiasedBasins >= 20, "unbiased-score basins " + unbiasedBasins);
    }

    /**
     * Basin coverage: the generator's 1-step samples reach at least 20 of the 25 basins (the nearest
     * mode of at least 1% of 2000 samples; a recall measure that does not ask for sharpness) and
     * match the mixture at large scale (MMD^2 below 0.05; an untrained generator: about 0.8).
     */
    private static void assertSpreadOverTheBasins(Function<DistillSetup, Distiller> make) {
        Distiller d = trained(make, SPREAD_STEPS);
        Toy25.Eval e = Toy25.evaluate(d.generator(), 1, 28L);
        int basins = basinsReached(d);
        System.out.println("[toy25] " + d.name() + " " + e + " basins=" + basins);
        assertTrue(basins >= 20 && e.mmd() < 0.05, d.name() + " " + e + " basins " + basins);
    }

    private static Distiller trained(Function<DistillSetup, Distiller> make, int steps) {
        Distiller d = make.apply(Toy25.trainedTeacherSetup(BATCH));
        Rng rng = new Rng(11L);
        for (int i = 0; i < steps; i++) {
            d.step(rng);
        }
        return d;
    }

    /** Modes that are the nearest mode of at least 1% of 2000 one-step samples. */
    static int basinsReached(Distiller d) {
        double[][] x = Toy25.rows(d.generator().sample(Tensor.randn(DType.F32, new Rng(28L), 2000, 2), 1,
                RngKey.of(29L)));
        double[][] means = Toy25.SPEC.means();
        int[] counts = new int[means.length];
        for (double[] p : x) {
            int best = 0;
            double bestD = Double.POSITIVE_INFINITY;
            for (int k = 0; k < means.length; k++) {
                double dx = p[0] - means[k][0];
                double dy = p[1] - means[k][1];
                if (dx * dx + dy * dy < bestD) {
                    bestD = dx * dx + dy * dy;
                    best = k;
                }
            }
            counts[best]++;
        }
        return (int) java.util.Arrays.stream(counts).filter(c -> c >= x.length / 100).count();
    }

    /** The same seed gives the same student, bit for bit, for each of the four methods. */
    @Test
    void trainingIsDeterministicForASeed() {
        for (Function<DistillSetup, Distiller> make : java.util.List.<Function<DistillSetup, Distiller>>of(
                s -> new DistributionMatchingDistillation(s, DistributionMatchingDistillation.Config.dmd()
                        .withRegression(4.0, 64, 4).withDecay(5)),
                s -> new DistributionMatchingDistillation(s, DistributionMatchingDistillation.Config.dmd2()),
                s -> new UnbiasedScoreDistillation(s, UnbiasedScoreDistillation.Config.defaults().withRegression(4.0, 64, 4)),
                s -> new ScoreDistillationSampling(s, ScoreDistillationSampling.Config.defaults()))) {
            assertArrayEquals(trainAndSample(make), trainAndSample(make));
        }
    }

    private static float[] trainAndSample(Function<DistillSetup, Distiller> make) {
        Distiller d = make.apply(Toy25.trainedTeacherSetup(16));
        Rng rng = new Rng(3L);
        for (int i = 0; i < 5; i++) {
            d.step(rng);
        }
        return d.generator().sample(Tensor.randn(DType.F32, new Rng(4L), 32, 2), 1, RngKey.of(5L)).toFloatArray();
    }
}
