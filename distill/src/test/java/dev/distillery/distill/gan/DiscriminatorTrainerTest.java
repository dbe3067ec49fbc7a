package dev.distillery.distill.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.GradCheck;
import dev.distillery.autograd.Tensor;
import dev.distillery.distill.gan.GanLoss;
import dev.distillery.distill.gan.GradientPenalty;
import dev.distillery.nn.models.DiscriminatorConfig;
import dev.distillery.nn.models.DiscriminatorHeads;
import dev.distillery.nn.models.ModelInput;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** R1 over discriminator heads on features, and the trainer's update ratio; F64 on the scalar backend. */
class DiscriminatorTrainerTest {
    private Backends.Scope scope;

    @BeforeEach
    void scalar() {
        scope = Backends.use(Backends.scalar());
    }

    @AfterEach
    void restore() {
        scope.close();
    }

    private static Discriminator discriminator(int timeDim) {
        FeatureNetworks.Frozen f = FeatureNetworks.randomMlp(2, 5, 2, true, DType.F64, 3L);
        DiscriminatorHeads heads = new DiscriminatorConfig(f.featureChannels(), 4, 0, timeDim, 10.0, DType.F64, 4L).build();
        return new Discriminator(f, heads);
    }

    /**
     * The feature R1 {@code gamma/2 E_b sum_k ||grad_{F_k} D_k||^2}: its gradient w.r.t. the heads'
     * parameters (a double backward through LeakyReLU heads) against central differences.
     */
    @Test
    void featureR1ParameterGradientMatchesFiniteDifferences() {
        Discriminator d = discriminator(4);
        Tensor x = Tensor.randn(DType.F64, 5L, 0, 3, 2);
        ModelInput cond = ModelInput.of(x, Tensor.of(DType.F64, new double[] {0.1, 0.5, 0.9}, 3));
        List<Tensor> feats = d.features(x, cond).stream().map(Tensor::detach).toList();
        LinkedHashMap<String, Tensor> params = d.heads().namedParameters();
        List<String> names = new ArrayList<>(params.keySet());
        List<Tensor> inputs = names.stream().map(n -> params.get(n).detach()).toList();
        GradCheck.Report report = GradCheck.first(p -> {
            java.util.Map<String, Tensor> state = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                state.put(names.get(i), p.get(i));
            }
            return r1WithParameters(d, state, feats, cond);
        }, inputs, GradCheck.Tolerance.DEFAULT);
        assertTrue(report.passed(), report.toString());
    }

    /** The same penalty, with the heads' parameters replaced by the tensors the grad check perturbs. */
    private static Tensor r1WithParameters(Discriminator d, java.util.Map<String, Tensor> p, List<Tensor> feats,
                                           ModelInput cond) {
        FunctionalHeads heads = new FunctionalHeads(d.heads(), p);
        return GradientPenalty.r1(Discriminator.flatConcat(feats),
                flat -> Discriminator.perSampleSum(heads.forward(Discriminator.split(flat, feats), cond)), 0.7);
    }

    @Test
    void functionalHeadsReproduceTheModule() {
        Discriminator d = discriminator(4);
        Tensor x = Tensor.randn(DType.F64, 5L, 0, 3, 2);
        ModelInput cond = ModelInput.of(x, Tensor.of(DType.F64, new double[] {0.1, 0.5, 0.9}, 3));
        List<Tensor> feats = d.features(x, cond);
        double[] a = Discriminator.perSampleSum(d.logits(feats, cond)).toDoubleArray();
        double[] b = Discriminator.perSampleSum(new FunctionalHeads(d.heads(), d.heads().namedParameters())
                .forward(feats, cond)).toDoubleArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, 1e-12);
    }

    /** R1's value against central differences of the summed head logits w.r.t. every feature element. */
    @Test
    void featureR1ValueMatchesFiniteDifferenceGradients() {
        Discriminator d = discriminator(4);
        Tensor x = Tensor.randn(DType.F64, 15L, 0, 3, 2);
        ModelInput cond = ModelInput.of(x, Tensor.of(DType.F64, new double[] {0.2, 0.4, 0.8}, 3));
        List<Tensor> feats = d.features(x, cond).stream().map(Tensor::detach).toList();
        Tensor flat = Discriminator.flatConcat(feats);
        double[] base = flat.toDoubleArray();
        int n = flat.dim(1);
        double h = 1e-6;
        double sq = 0;
        for (int b = 0; b < 3; b++) {
            for (int j = 0; j < n; j++) {
                double[] up = base.clone();
                double[] dn = base.clone();
                up[b * n + j] += h;
                dn[b * n + j] -= h;
                double fu = Discriminator.perSampleSum(d.logits(Discriminator.split(Tensor.of(DType.F64, up, 3, n), feats),
                        cond)).toDoubleArray()[b];
                double fd = Discriminator.perSampleSum(d.logits(Discriminator.split(Tensor.of(DType.F64, dn, 3, n), feats),
                        cond)).toDoubleArray()[b];
                double g = (fu - fd) / (2 * h);
                sq += g * g;
            }
        }
        double want = 0.5 * 1.3 * sq / 3;
        double got = GradientPenalty.r1(flat, f -> Discriminator.perSampleSum(d.logits(Discriminator.split(f, feats), cond)),
                1.3).item();
        assertEquals(want, got, 1e-6 * Math.max(1, want));
    }

    /** The feature R1's value equals gamma/2 times the squared input gradient computed head by head. */
    @Test
    void featureR1IsTheSumOverHeadsOfPerHeadPenalties() {
        Discriminator d = discriminator(0);
        Tensor x = Tensor.randn(DType.F64, 6L, 0, 4, 2);
        List<Tensor> feats = d.features(x, null).stream().map(Tensor::detach).toList();
        double joint = GradientPenalty.r1(Discriminator.flatConcat(feats),
                flat -> Discriminator.perSampleSum(d.logits(Discriminator.split(flat, feats), null)), 2.0).item();
        double perHead = 0;
        for (int k = 0; k < feats.size(); k++) {
            final int kk = k;
            perHead += GradientPenalty.r1(feats.get(k), f -> {
                List<Tensor> fs = new ArrayList<>(feats);
                fs.set(kk, f);
                return Discriminator.perSampleSum(List.of(d.logits(fs, null).get(kk)));
            }, 2.0).item();
        }
        assertEquals(perHead, joint, 1e-12 * Math.max(1, Math.abs(joint)));
    }

    @Test
    void updateRatioIsHonoured() {
        Discriminator d = discriminator(0);
        for (int ratio : new int[] {1, 3, 5}) {
            DiscriminatorTrainer trainer = new DiscriminatorTrainer(d, new DiscriminatorTrainer.Config(GanLoss.HINGE,
                    ratio, 1e-3, 0.5, 0.999, 1e-5, DiscriminatorTrainer.R1On.FEATURES, 1));
            AtomicInteger batches = new AtomicInteger();
            for (int step = 0; step < 4; step++) {
                trainer.train(() -> {
                    batches.incrementAndGet();
                    return new DiscriminatorTrainer.Batch(Tensor.randn(DType.F64, 7L, batches.get(), 8, 2),
                            Tensor.randn(DType.F64, 8L, batches.get(), 8, 2), null, null);
                });
            }
            assertEquals(4 * ratio, batches.get(), "fresh batches drawn");
            assertEquals(4L * ratio, trainer.updates(), "discriminator updates");
        }
    }

    /** Training the heads separates real from fake: the hinge loss falls below its value at a blind discriminator (2). */
    @Test
    void headsLearnToSeparateShiftedData() {
        Discriminator d = discriminator(0);
        DiscriminatorTrainer trainer = new DiscriminatorTrainer(d, new DiscriminatorTrainer.Config(GanLoss.HINGE, 1,
                1e-2, 0.5, 0.999, 1e-5, DiscriminatorTrainer.R1On.PIXELS, 1));
        double loss = 2;
        for (int i = 0; i < 150; i++) {
            loss = trainer.update(new DiscriminatorTrainer.Batch(Tensor.randn(DType.F64, 9L, i, 32, 2).add(2.0),
                    Tensor.randn(DType.F64, 10L, i, 32, 2), null, null)).get("d_loss");
        }
        assertTrue(loss < 1.7, "hinge loss after training " + loss + " (a blind discriminator scores 2)");
    }
}
