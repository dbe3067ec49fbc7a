package dev.distillery.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.io.SafetensorsDtype;
import dev.distillery.autograd.io.TensorFiles;
import dev.distillery.nn.Checks;
import dev.distillery.nn.Init;
import dev.distillery.nn.Module;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** BatchNorm1d/2d as PyTorch's: batch statistics, running statistics, modes, state dict, gradients. */
@ExtendWith(ScalarBackendExtension.class)
class BatchNormTest {
    private static final Init INIT = Init.of(DType.F64, 3);

    /*
     * Two batches of [N = 3, C = 2] for BatchNorm1d(2), momentum 0.1:
     *   batch 1, channel 0: 1, 2, 6   mean 3, squared deviations 4 + 1 + 9 = 14: biased var 14/3, unbiased 7
     *            channel 1: 0, 4, 2   mean 2, squared deviations 4 + 4 + 0 = 8:  biased var 8/3,  unbiased 4
     *   batch 2, channel 0: 0, 4, 2   mean 2, unbiased var 4 (biased 8/3)
     *            channel 1: 1, 1, 7   mean 3, squared deviations 4 + 4 + 16 = 24: unbiased var 12 (biased 8)
     * running_mean: 0 -> 0.9 0 + 0.1 [3, 2] = [0.3, 0.2] -> 0.9 [0.3, 0.2] + 0.1 [2, 3] = [0.47, 0.48]
     * running_var:  1 -> 0.9 1 + 0.1 [7, 4] = [1.6, 1.3] -> 0.9 [1.6, 1.3] + 0.1 [4, 12] = [1.84, 2.37]
     * num_batches_tracked: 2. With momentum None (cumulative average, f = 1/1 then 1/2):
     *   running_mean = ([3, 2] + [2, 3]) / 2 = [2.5, 2.5], running_var = ([7, 4] + [4, 12]) / 2 = [5.5, 8].
     */
    private static Tensor batch1() {
        return Tensor.of(new double[] {1, 0, 2, 4, 6, 2}, 3, 2);
    }

    private static Tensor batch2() {
        return Tensor.of(new double[] {0, 1, 4, 1, 2, 7}, 3, 2);
    }

    @Test
    void runningStatisticsAfterTwoBatchesFollowMomentumAndTheUnbiasedVariance() {
        BatchNorm1d bn = new BatchNorm1d(2, INIT);
        bn.forward(batch1());
        assertArrayEquals(new double[] {0.3, 0.2}, bn.runningMean().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {1.6, 1.3}, bn.runningVar().toDoubleArray(), 1e-15);
        assertEquals(1, bn.numBatchesTracked().item(), 0);
        Tensor y = bn.forward(batch2());
        assertArrayEquals(new double[] {0.47, 0.48}, bn.runningMean().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {1.84, 2.37}, bn.runningVar().toDoubleArray(), 1e-15);
        assertEquals(2, bn.numBatchesTracked().item(), 0);
        // training output uses the batch's biased variance: channel 0 of batch 2 is (x - 2) / sqrt(8/3 + eps)
        double s0 = Math.sqrt(8.0 / 3 + 1e-5), s1 = Math.sqrt(8.0 + 1e-5);
        assertArrayEquals(new double[] {-2 / s0, -2 / s1, 2 / s0, -2 / s1, 0, 4 / s1}, y.toDoubleArray(), 1e-14);
    }

    @Test
    void momentumNoneIsTheCumulativeAverage() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5, null, true, true, INIT);
        bn.forward(batch1());
        bn.forward(batch2());
        assertArrayEquals(new double[] {2.5, 2.5}, bn.runningMean().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {5.5, 8}, bn.runningVar().toDoubleArray(), 1e-15);
        assertEquals(2, bn.numBatchesTracked().item(), 0);
    }

    @Test
    void evalModeIsTheAffineMapOfTheRunningStatisticsAndLeavesThemAlone() {
        BatchNorm1d bn = new BatchNorm1d(2, INIT);
        bn.forward(batch1());
        bn.forward(batch2());
        setAffine(bn, new double[] {2, -1}, new double[] {0.5, 1});
        bn.eval();
        // y = (x - running_mean) / sqrt(running_var + eps) * weight + bias, running stats [0.47, 0.48], [1.84, 2.37]
        Tensor y = bn.forward(Tensor.of(new double[] {1, -1}, 1, 2));
        double y0 = (1 - 0.47) / Math.sqrt(1.84 + 1e-5) * 2 + 0.5;
        double y1 = (-1 - 0.48) / Math.sqrt(2.37 + 1e-5) * -1 + 1;
        assertArrayEquals(new double[] {y0, y1}, y.toDoubleArray(), 1e-15);
        assertEquals(2, bn.numBatchesTracked().item(), 0);
        assertArrayEquals(new double[] {0.47, 0.48}, bn.runningMean().toDoubleArray(), 1e-15);
    }

    @Test
    void batchNorm2dPoolsBatchAndSpaceOfEachChannel() {
        // N = 2, C = 1, H = 1, W = 2: values 1, 3 | 5, 7: mean 4, squared deviations 9 + 1 + 1 + 9 = 20,
        // biased var 5, unbiased 20/3; running_mean 0.4, running_var 0.9 + 0.1 20/3 = 0.9 + 2/3
        BatchNorm2d bn = new BatchNorm2d(1, INIT);
        Tensor y = bn.forward(Tensor.of(new double[] {1, 3, 5, 7}, 2, 1, 1, 2));
        double s = Math.sqrt(5 + 1e-5);
        assertArrayEquals(new double[] {-3 / s, -1 / s, 1 / s, 3 / s}, y.toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {0.4}, bn.runningMean().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {0.9 + 2.0 / 3}, bn.runningVar().toDoubleArray(), 1e-15);
    }

    @Test
    void stateDictNamesAndShapesAreTorchs() {
        Map<String, Tensor> sd = new BatchNorm2d(4, INIT).stateDict();
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"), List.copyOf(sd.keySet()));
        assertEquals(0, sd.get("num_batches_tracked").rank());
        assertArrayEquals(new double[] {0, 0, 0, 0}, sd.get("running_mean").toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 1, 1, 1}, sd.get("running_var").toDoubleArray(), 0);
        BatchNorm1d plain = new BatchNorm1d(3, 1e-5, 0.1, false, false, INIT);
        assertTrue(plain.stateDict().isEmpty());
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(new BatchNorm1d(3, 1e-5, 0.1, false, true, INIT).stateDict().keySet()));
    }

    @Test
    void buffersSurviveCopyAndASafetensorsRoundTrip(@TempDir Path dir) throws IOException {
        BatchNorm2d bn = new BatchNorm2d(2, INIT);
        bn.forward(Tensor.randn(DType.F64, 5, 0, 3, 2, 2, 2));
        Module copy = bn.copy();
        bn.namedBuffers().forEach((k, v) -> assertArrayEquals(v.toDoubleArray(),
                copy.namedBuffers().get(k).toDoubleArray(), 0, k));
        Path file = dir.resolve("bn.safetensors");
        TensorFiles.save(file, bn.stateDict(), Map.of());
        BatchNorm2d loaded = new BatchNorm2d(2, INIT);
        loaded.loadStateDict(TensorFiles.load(file), true);
        assertEquals(1, loaded.numBatchesTracked().item(), 0);
        assertArrayEquals(bn.runningVar().toDoubleArray(), loaded.runningVar().toDoubleArray(), 0);
        assertTrue(Files.size(file) > 0);
    }

    @Test
    void anF32ModelLoadsTorchsFileWhoseCounterIsI64(@TempDir Path dir) throws IOException {
        // PyTorch writes num_batches_tracked as int64 beside float32 statistics; it loads strictly, unconverted
        BatchNorm2d bn = new BatchNorm2d(2, Init.of(DType.F32, 1));
        bn.forward(Tensor.randn(DType.F32, 6, 0, 3, 2, 2, 2));
        bn.forward(Tensor.randn(DType.F32, 7, 0, 3, 2, 2, 2));
        Path file = dir.resolve("torch.safetensors");
        TensorFiles.save(file, bn.stateDict(), Map.of(), Map.of("num_batches_tracked", SafetensorsDtype.I64));
        assertEquals(SafetensorsDtype.I64, TensorFiles.dtypes(file).get("num_batches_tracked"));
        BatchNorm2d loaded = new BatchNorm2d(2, Init.of(DType.F32, 2));
        loaded.loadStateDict(TensorFiles.load(file), true);
        assertEquals(DType.F32, loaded.numBatchesTracked().dtype());
        assertEquals(2, loaded.numBatchesTracked().item(), 0);
        assertArrayEquals(bn.runningMean().toDoubleArray(), loaded.runningMean().toDoubleArray(), 0);
    }

    @Test
    void withoutTrackingEvalStillUsesBatchStatistics() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5, 0.1, true, false, INIT);
        bn.eval();
        assertNull(bn.runningMean());
        double s0 = Math.sqrt(14.0 / 3 + 1e-5);
        assertEquals(-2 / s0, bn.forward(batch1()).get(0, 0), 1e-15);
    }

    @Test
    void aTrainingBatchOfOneValuePerChannelIsRefusedAsInTorch() {
        BatchNorm1d bn = new BatchNorm1d(2, INIT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bn.forward(Tensor.of(new double[] {1, 2}, 1, 2)));
        assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
        bn.eval();
        assertEquals(2, bn.forward(Tensor.of(new double[] {1, 2}, 1, 2)).numel());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3, INIT).forward(Tensor.zeros(DType.F64, 2, 3, 4)));
        assertTrue(e.getMessage().startsWith("BatchNorm2d(3): input of shape [2, 3, 4] is not [N, C, H, W]"), e.getMessage());
    }

    @Test
    void gradientsInTrainingAndEvalModeFirstAndSecondOrder() {
        BatchNorm2d bn2 = new BatchNorm2d(3, INIT);
        setAffine(bn2, new double[] {1.5, -0.5, 2}, new double[] {0.1, 0.2, -0.3});
        Tensor x = Tensor.randn(DType.F64, 21, 0, 2, 3, 2, 2);
        Checks.inputs("BatchNorm2d train", v -> bn2.forward(v.get(0)), x);
        Checks.parameters("BatchNorm2d train", bn2, () -> bn2.forward(x), 3);
        bn2.eval();
        Checks.inputs("BatchNorm2d eval", v -> bn2.forward(v.get(0)), x);
        Checks.parameters("BatchNorm2d eval", bn2, () -> bn2.forward(x), 3);
        BatchNorm1d bn1 = new BatchNorm1d(2, INIT);
        Tensor seq = Tensor.randn(DType.F64, 22, 0, 3, 2, 4);
        Checks.inputs("BatchNorm1d train [N, C, L]", v -> bn1.forward(v.get(0)), seq);
        Checks.parameters("BatchNorm1d train [N, C, L]", bn1, () -> bn1.forward(seq), 2);
    }

    private static void setAffine(BatchNorm bn, double[] w, double[] b) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            bn.namedParameters().get("weight").assign(Tensor.of(w, w.length));
            bn.namedParameters().get("bias").assign(Tensor.of(b, b.length));
        }
    }
}
