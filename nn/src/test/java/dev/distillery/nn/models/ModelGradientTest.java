package dev.distillery.nn.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Checks;
import dev.distillery.autograd.ScalarBackendExtension;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gradchecks through small versions of every model, with every conditioning switched on: the
 * input gradient to second order (what R1 penalties and classifier guidance differentiate) and
 * the parameter gradient to first order.
 */
@ExtendWith(ScalarBackendExtension.class)
class ModelGradientTest {
    private static final Conditioning ALL = Conditioning.none().withSecondTime().withClasses(3).withGuidanceScale();

    private static Tensor randn(long key, int... dims) {
        return Tensor.randn(DType.F64, key, 0, dims);
    }

    private static Tensor vec(double... v) {
        return Tensor.of(v, v.length);
    }

    @Test
    void mlpDenoiserWithAllConditionings() {
        MlpConfig c = new MlpConfig(2, 5, 2, 4, 1.0, ALL, false, DType.F64, 1);
        MlpDenoiser net = c.build();
        ModelInput in = new ModelInput(randn(1, 2, 2), vec(3, 17), vec(1, 9), new int[] {2, Conditioning.NULL_LABEL},
                vec(0.5, 2.0));
        Checks.inputs("MlpDenoiser", v -> net.forward(in.withX(v.get(0))), in.x());
        Checks.parameters("MlpDenoiser", net, () -> net.forward(in), 4);
    }

    @Test
    void tinyUNetWithAllConditionings() {
        UNet net = UNetConfig.tiny().withConditioning(ALL).build();
        ModelInput in = new ModelInput(randn(2, 1, 1, 4, 4), vec(5), vec(2), new int[] {1}, vec(1.5));
        Checks.inputs("UNet", v -> net.forward(in.withX(v.get(0))), in.x());
        Checks.parameters("UNet", net, () -> net.forward(in), 2);
    }

    @Test
    void classifiersAndDiscriminatorHeads() {
        ImageClassifier cls = ImageClassifierConfig.noisyDigits().with(List.of(2, 4), 2, 4, DType.F64).build();
        ModelInput in = ModelInput.of(randn(3, 2, 1, 4, 4), vec(10, 400));
        Checks.inputs("ImageClassifier", v -> cls.forward(in.withX(v.get(0))), in.x());
        Checks.parameters("ImageClassifier", cls, () -> cls.forward(in), 3);

        MlpClassifier mlp = new MlpClassifierConfig(2, 4, 2, 3, true, 4, 1.0, DType.F64, 0).build();
        ModelInput in2 = ModelInput.of(randn(4, 3, 2), vec(1, 2, 3));
        Checks.inputs("MlpClassifier", v -> mlp.forward(in2.withX(v.get(0))), in2.x());

        DiscriminatorHeads d = new DiscriminatorConfig(cls.featureChannels(), 3, 10, 4, 1.0, DType.F64, 0).build();
        ModelInput cond = in.withLabels(new int[] {4, 7});
        Checks.inputs("Discriminator over classifier features", v -> {
            List<Tensor> maps = d.forward(cls.features(in.withX(v.get(0))), cond);
            return Tensor.concat(maps.stream().map(m -> m.flatten(1)).toList(), 1);
        }, in.x());
        List<Tensor> maps = d.forward(cls.features(in), cond);
        assertEquals(List.of(2, 1, 4, 4), List.of(maps.get(0).shape().dims()[0], maps.get(0).dim(1),
                maps.get(0).dim(2), maps.get(0).dim(3)));
        assertEquals(2, maps.get(2).rank() == 4 ? maps.get(2).dim(0) : -1);
    }

    @Test
    void unetEncoderIsAFeatureExtractor() {
        UNet net = UNetConfig.tiny().build();
        List<Tensor> f = net.features(ModelInput.of(randn(5, 2, 1, 4, 4), vec(1, 2)));
        assertEquals(net.featureChannels().size(), f.size());
        for (int i = 0; i < f.size(); i++) {
            assertEquals(net.featureChannels().get(i), f.get(i).dim(1));
        }
    }

    @Test
    void conditioningMismatchesAreNamed() {
        MlpDenoiser plain = new MlpConfig(2, 4, 1, 4, 1.0, Conditioning.none(), false, DType.F64, 0).build();
        ModelInput in = ModelInput.of(randn(1, 1, 2), vec(3)).withLabels(new int[] {0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plain.forward(in));
        assertTrue(e.getMessage().contains("labels"), e.getMessage());
        MlpDenoiser classy = new MlpConfig(2, 4, 1, 4, 1.0, Conditioning.none().withClasses(2), false, DType.F64, 0).build();
        e = assertThrows(IllegalArgumentException.class, () -> classy.forward(ModelInput.of(randn(1, 1, 2), vec(3))));
        assertTrue(e.getMessage().contains("labels"), e.getMessage());
    }

    @Test
    void zeroInitOutputStartsAtZero() {
        MlpDenoiser net = new MlpConfig(2, 4, 1, 4, 1.0, Conditioning.none(), true, DType.F64, 0).build();
        for (double v : net.forward(randn(1, 3, 2), vec(1, 2, 3)).toDoubleArray()) {
            assertEquals(0.0, v);
        }
    }
}
