package dev.distillery.diffusion.denoise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.nn.models.ConditionalModel;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.ModelInput;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** How a {@link Condition} reaches a network through {@link NeuralDenoisers}. */
class NeuralDenoisersTest {
    private static final Tensor Z = Tensor.randn(DType.F64, 3L, 0L, 4, 2);
    private static final Tensor T = Tensor.of(DType.F64, new double[] {0.1, 0.4, 0.7, 0.95}, 4);

    private static ConditionalModel net(Conditioning c) {
        return (ConditionalModel) new MlpConfig(2, 16, 2, 8, 1000.0, c, false, DType.F64, 1L).build();
    }

    @Test
    void aClassConditionalNetworkWithoutLabelsIsAskedWithTheNullLabel() {
        ConditionalModel net = net(Conditioning.none().withClasses(3));
        int[] nulls = new int[4];
        Arrays.fill(nulls, Conditioning.NULL_LABEL);
        Tensor viaDenoiser = NeuralDenoisers.of(net, Prediction.V, ContinuousCosine.INSTANCE).x0(Z, T, Condition.NONE);
        Tensor viaNullLabels = NeuralDenoisers.of(net, Prediction.V, ContinuousCosine.INSTANCE)
                .x0(Z, T, Condition.labels(nulls));
        assertArrayEquals(viaNullLabels.toDoubleArray(), viaDenoiser.toDoubleArray(), 0.0);
        // and the raw network would have refused the missing labels
        assertThrows(IllegalArgumentException.class, () -> net.forward(new ModelInput(Z, T, null, null, null)));
    }

    @Test
    void anUnconditionalNetworkStillRefusesLabels() {
        ConditionalModel net = net(Conditioning.none());
        assertThrows(IllegalArgumentException.class, () -> NeuralDenoisers.of(net, Prediction.V, ContinuousCosine.INSTANCE)
                .x0(Z, T, Condition.labels(new int[] {0, 1, 2, 0})));
    }
}
