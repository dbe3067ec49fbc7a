package dev.distillery.distill.core;

import dev.distillery.diffusion.denoise.PerSample;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.ArgumentChecks;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Every argument check of distill.core, observed: each invalid input below must be rejected with
 * an {@link IllegalArgumentException} (rather than a NaN or an infinity deep inside a training run),
 * and each boundary that is valid must be accepted. The accepted boundaries are what tell
 * {@code <} from {@code <=} in a check.
 */
class CoreArgumentChecksTest extends ScalarBackendTest {
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double NAN = Double.NaN;

    private static Tensor row(double... v) {
        return Tensor.of(v, 1, v.length);
    }

    private static final ConsistencyParameterization CM = new ConsistencyParameterization(0.5, 0.002);

    private static Map<String, Executable> rejected() {
        Tensor x = row(1.0, 2.0);
        return Map.ofEntries(
                Map.entry("consistency: sigmaData 0", () -> new ConsistencyParameterization(0.0, 0.002)),
                Map.entry("consistency: sigmaData infinite", () -> new ConsistencyParameterization(INF, 0.002)),
                Map.entry("consistency: epsilon negative", () -> new ConsistencyParameterization(0.5, -0.1)),
                Map.entry("consistency: epsilon infinite", () -> new ConsistencyParameterization(0.5, INF)),
                Map.entry("consistency: epsilon NaN", () -> new ConsistencyParameterization(0.5, NAN)),
                Map.entry("consistency: t below epsilon", () -> CM.apply(x, 0.001, x)),
                Map.entry("consistency: t infinite", () -> CM.apply(x, INF, x)),
                Map.entry("consistency: denoiser t below epsilon", () -> CM.outputFromDenoiser(x, new double[] {0.001}, x)),
                Map.entry("curriculum: k negative", () -> ConsistencyParameterization.consistencyTrainingSteps(-1, 10, 2, 150)),
                Map.entry("curriculum: k above K", () -> ConsistencyParameterization.consistencyTrainingSteps(11, 10, 2, 150)),
                Map.entry("curriculum: K zero", () -> ConsistencyParameterization.consistencyTrainingSteps(0, 0, 2, 150)),
                Map.entry("curriculum: s0 zero", () -> ConsistencyParameterization.consistencyTrainingSteps(0, 10, 0, 150)),
                Map.entry("curriculum: s1 below s0", () -> ConsistencyParameterization.consistencyTrainingSteps(0, 10, 3, 2)),
                Map.entry("improved curriculum: k above K", () -> ConsistencyParameterization.improvedConsistencyTrainingSteps(11, 10, 10, 1280)),
                Map.entry("ctm: s above t", () -> CtmParameterization.apply(x, 1.0, 1.5, x)),
                Map.entry("ctm: t zero", () -> CtmParameterization.apply(x, 0.0, 0.0, x)),
                Map.entry("ctm: s negative", () -> CtmParameterization.apply(x, 1.0, -1e-300, x)),
                Map.entry("ctm: t infinite", () -> CtmParameterization.apply(x, INF, 1.0, x)),
                Map.entry("ctm: g undetermined at s = t", () -> CtmParameterization.networkOutputFor(x, 1.0, 1.0, x)),
                Map.entry("ctm: g with s above t", () -> CtmParameterization.networkOutputFor(x, 1.0, 2.0, x)),
                Map.entry("ddim: noise scale with sigma_t 0", () -> DdimStep.noiseScale(1.0, 0.0, 1.0, 0.5, 1.0)),
                Map.entry("ddim: eta infinite", () -> DdimStep.noiseScale(0.6, 0.8, 0.8, 0.6, INF)),
                Map.entry("ddim: eta negative", () -> DdimStep.noiseScale(0.6, 0.8, 0.8, 0.6, -1.0)),
                Map.entry("ddim: alpha_s 0 with noise", () -> DdimStep.noiseScale(0.6, 0.8, 0.0, 0.6, 1.0)),
                Map.entry("ddim: eta 2 adds more noise than sigma_s", () -> DdimStep.noiseScale(0.0, 1.0, 0.8, 0.6, 2.0)),
                Map.entry("ddim: sigma_t infinite", () -> DdimStep.deterministic(x, x, 1.0, INF, 1.0, 0.5)),
                Map.entry("distance: pseudo-Huber c 0", () -> Distance.pseudoHuber(0.0)),
                Map.entry("distance: data size 0", () -> Distance.pseudoHuberFor(0)),
                Map.entry("dmd: weight with alpha 0", () -> DmdGradient.weight(x, x, 0.0, 1.0)),
                Map.entry("dmd: gradient with alpha 0", () -> DmdGradient.fromX0(x, x, x, 0.0)),
                Map.entry("features: no layers", () -> new FeatureDistance(f -> List.of(), false).perSample(x, x)),
                Map.entry("features: layer counts differ", () -> new FeatureDistance(
                        f -> f == x ? List.of(f) : List.of(f, f), false).perSample(x, row(0.0, 0.0))),
                Map.entry("features: normalize rank 1", () -> new FeatureDistance(
                        f -> List.of(f.reshape(-1)), true).perSample(x, x)),
                Map.entry("weights: negative snr", () -> LossWeighting.SNR.weight(-1.0)),
                Map.entry("weights: NaN snr", () -> LossWeighting.SNR_PLUS_ONE.weight(NAN)),
                Map.entry("per-sample: coefficient of the wrong length", () -> PerSample.broadcast(Tensor.zeros(DType.F64, 3), x)),
                Map.entry("per-sample: rank-3 coefficient on a rank-2 batch", () -> PerSample.broadcast(Tensor.zeros(DType.F64, 1, 1, 1), x)),
                Map.entry("per-sample: rank-0 batch", () -> PerSample.broadcast(Tensor.zeros(DType.F64, 1), Tensor.scalar(1.0, DType.F64))),
                Map.entry("per-sample: flat of rank 0", () -> PerSample.flat(Tensor.scalar(1.0, DType.F64))),
                Map.entry("progressive: sigma_t 0", () -> ProgressiveTarget.xTilde(x, x, 1.0, 0.0, 1.0, 0.0)),
                Map.entry("progressive: equal SNR gives denominator 0", () -> ProgressiveTarget.xTilde(x, x, 0.6, 0.8, 0.6, 0.8)),
                Map.entry("progressive: lower SNR at t''", () -> ProgressiveTarget.xTilde(x, x, 0.8, 0.6, 0.6, 0.8)),
                Map.entry("progressive: i 0", () -> ProgressiveTarget.Grid.of(0, 4)),
                Map.entry("progressive: i above N", () -> ProgressiveTarget.Grid.of(5, 4)),
                Map.entry("progressive: N 0", () -> ProgressiveTarget.Grid.of(1, 0)),
                Map.entry("rectified flow: t above 1", () -> RectifiedFlow.interpolate(x, x, 1.5)),
                Map.entry("rectified flow: t below 0", () -> RectifiedFlow.interpolate(x, x, -0.5)),
                Map.entry("rectified flow: Euler from outside [0, 1]", () -> RectifiedFlow.eulerStep(x, x, 1.5, 0.5)),
                Map.entry("rectified flow: Euler to outside [0, 1]", () -> RectifiedFlow.eulerStep(x, x, 0.5, -0.5)),
                Map.entry("straightness: one state", () -> RectifiedFlow.straightness(List.of(x), new double[] {0.0})),
                Map.entry("straightness: counts differ", () -> RectifiedFlow.straightness(List.of(x, x), new double[] {0.0, 0.5, 1.0})),
                Map.entry("straightness: repeated time ascending", () -> RectifiedFlow.straightness(List.of(x, x, x), new double[] {0.0, 0.0, 1.0})),
                Map.entry("straightness: repeated time descending", () -> RectifiedFlow.straightness(List.of(x, x, x), new double[] {1.0, 1.0, 0.0})),
                Map.entry("straightness: not monotone", () -> RectifiedFlow.straightness(List.of(x, x, x), new double[] {0.0, 1.0, 0.5})),
                Map.entry("straightness: starts after 0", () -> RectifiedFlow.straightness(List.of(x, x), new double[] {0.1, 1.0})),
                Map.entry("straightness: ends before 1", () -> RectifiedFlow.straightness(List.of(x, x), new double[] {0.0, 0.9})),
                Map.entry("sds: sigma 0", () -> ScoreDistillation.deltaFakeScore(x, x, 1.0, 0.0)),
                Map.entry("surrogate: shapes differ", () -> SurrogateLoss.withGradient(x, row(1.0))),
                Map.entry("unbiased score: sigma 0", () -> UnbiasedScoreEstimator.responsibilities(x, x, 1.0, 0.0)),
                Map.entry("unbiased score: sample sizes differ", () -> UnbiasedScoreEstimator.responsibilities(x, row(1.0, 2.0, 3.0), 1.0, 1.0)));
    }

    @TestFactory
    Stream<DynamicTest> invalidArgumentsAreRejected() {
        return ArgumentChecks.eachRejected(rejected());
    }

    /** The valid edge of each check: equality where the check allows it. */
    @Test
    void boundariesThatAreValidAreAccepted() {
        Tensor x = row(1.0, 2.0);
        assertDoesNotThrow(() -> new ConsistencyParameterization(0.5, 0.0));
        assertDoesNotThrow(() -> CM.apply(x, 0.002, x));
        assertDoesNotThrow(() -> ConsistencyParameterization.consistencyTrainingSteps(10, 10, 2, 2));
        assertDoesNotThrow(() -> CtmParameterization.apply(x, 1.0, 1.0, x));
        assertDoesNotThrow(() -> CtmParameterization.apply(x, 1.0, 0.0, x));
        assertDoesNotThrow(() -> ProgressiveTarget.Grid.of(4, 4));
        assertDoesNotThrow(() -> ProgressiveTarget.Grid.of(1, 1));
        assertDoesNotThrow(() -> RectifiedFlow.interpolate(x, x, 1.0));
        assertDoesNotThrow(() -> RectifiedFlow.eulerStep(x, x, 1.0, 0.0));
        assertDoesNotThrow(() -> Distance.pseudoHuberFor(1));
        assertDoesNotThrow(() -> LossWeighting.SNR.weight(0.0));
    }

    /** The message of a per-sample mismatch names the batch size it wanted ("?" only for a rank-0 batch). */
    @Test
    void perSampleMismatchSaysWhichShapeWouldFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PerSample.broadcast(Tensor.zeros(DType.F64, 3), Tensor.zeros(DType.F64, 2)));
        assertTrue(e.getMessage().endsWith("of shape [2]"), e.getMessage());
        IllegalArgumentException scalar = assertThrows(IllegalArgumentException.class,
                () -> PerSample.broadcast(Tensor.zeros(DType.F64, 3), Tensor.scalar(1.0, DType.F64)));
        assertTrue(scalar.getMessage().endsWith("of shape [?]"), scalar.getMessage());
    }
}
