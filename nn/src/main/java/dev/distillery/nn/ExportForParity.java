package dev.distillery.nn;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.io.TensorFiles;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.checkpoint.TrainingState;
import dev.distillery.nn.models.ConditionalModel;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.ModelConfig;
import dev.distillery.nn.models.ModelInput;
import dev.distillery.nn.models.UNetConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes what {@code docs/pytorch_parity.py} compares against PyTorch: for the W2 MLP and the W3
 * U-Net, in F32 and F64, a checkpoint directory plus {@code io.safetensors} holding an input
 * ({@code x}, {@code t}) and our output {@code y}, all computed on the scalar oracle backend.
 * Usage: {@code java -cp ... dev.distillery.nn.ExportForParity OUT_DIR}.
 */
public final class ExportForParity {
    private ExportForParity() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "parity-out");
        try (Backends.Scope ignored = Backends.use(Backends.scalar())) {
            for (DType d : DType.values()) {
                String suffix = d.name().toLowerCase(java.util.Locale.ROOT);
                export(out.resolve("mlp_" + suffix), MlpConfig.w2().withDtype(d).withSeed(1), new int[] {64, 2}, d);
                export(out.resolve("unet_" + suffix), UNetConfig.w3().withDtype(d).withSeed(2), new int[] {8, 1, 8, 8}, d);
            }
        }
        System.out.println("wrote " + out.toAbsolutePath());
    }

    private static void export(Path dir, ModelConfig cfg, int[] xShape, DType d) throws IOException {
        Module m = cfg.build();
        Tensor x = Tensor.randn(d, 123, 0, xShape);
        int b = xShape[0];
        double[] t = new double[b];
        for (int i = 0; i < b; i++) {
            t[i] = Math.floor(999.0 * i / (b - 1));     // spread over [0, 999], ends included
        }
        Tensor ts = Tensor.of(d, t, b);
        Tensor y;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            y = ((ConditionalModel) m).forward(ModelInput.of(x, ts));
        }
        Checkpoint.save(dir, cfg, m, null, null, new TrainingState(0, null));
        Map<String, Tensor> io = new LinkedHashMap<>();
        io.put("x", x);
        io.put("t", ts);
        io.put("y", y);
        TensorFiles.save(dir.resolve("io.safetensors"), io, Map.of());
    }
}
