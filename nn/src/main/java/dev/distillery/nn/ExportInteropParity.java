package dev.distillery.nn;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.io.SafetensorsDtype;
import dev.distillery.autograd.io.SafetensorsTensor;
import dev.distillery.autograd.io.SafetensorsWriter;
import dev.distillery.autograd.io.TensorFiles;
import dev.distillery.nn.checkpoint.OptimizerFiles;
import dev.distillery.nn.layers.SinusoidalEmbedding;
import dev.distillery.nn.optim.Adam;
import dev.distillery.nn.optim.LearningRate;
import dev.distillery.nn.optim.ParamGroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes what {@code docs/pytorch_interop_parity.py} compares against PyTorch (float64, scalar
 * oracle backend):
 * <pre>
 *   optim/CASE/trajectory.safetensors   parameters a, b after each step (rows: a0 a1 b0 b1)
 *   optim/CASE/optimizer.{safetensors,json}   the optimizer's state dict after the run
 *   dtypes.safetensors                   the same values written in every dtype
 *   ops.safetensors                      values and gradients at the edge points of pow,
 *                                        logsumexp, relu, clamp; an F32 time embedding
 * </pre>
 * The optimizer cases are those of {@code OptimizerRulesTest}: a late-starting parameter,
 * parameter groups, amsgrad with maximize. Usage: {@code java -cp ... dev.distillery.nn.ExportInteropParity OUT_DIR}.
 */
public final class ExportInteropParity {
    static final double[][] GRADS = {{0.5, -1.0}, {0.25, 2.0}, {-1.5, 0.75}, {1.0, 1.0}, {-0.5, 0.5}};
    static final double[][] HGRADS = {{0.3, -0.7}, {1.2, 0.4}, {-0.6, 0.9}, {0.8, -0.2}, {0.05, -1.5}};
    /** Floats around the 16-bit formats' ties, limits and subnormals, for every float dtype. */
    static final double[] FLOATS = {0, -0.0, 1, -2.5, 1 + 0x1p-11, 1 + 3 * 0x1p-11, 1 + 0x1p-8, 1 + 3 * 0x1p-8,
        65504, 65519.99, 65520, 0x1p-24, 0x1p-25, 3 * 0x1p-26, 0.1, -1e-3, 3.4e38, 1e-40, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY};

    private ExportInteropParity() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "interop-out");
        try (Backends.Scope ignored = Backends.use(Backends.scalar())) {
            optimizer(out.resolve("optim/late_start"), 4, 2, ps ->
                    new Adam(ps, LearningRate.constant(0.01), Adam.Options.adam().withBetas(0.9, 0.99)));
            optimizer(out.resolve("optim/groups"), 3, 0, ps -> new Adam(List.of(
                    new ParamGroup<>(Map.of("a", ps.get("a")), LearningRate.constant(0.01),
                            Adam.Options.adamW().withBetas(0.9, 0.99).withWeightDecay(0.1)),
                    new ParamGroup<>(Map.of("b", ps.get("b")), LearningRate.constant(0.05),
                            Adam.Options.adamW().withBetas(0.5, 0.9).withWeightDecay(0)))));
            optimizer(out.resolve("optim/amsgrad_maximize"), 5, 1, ps -> new Adam(ps, LearningRate.constant(0.01),
                    new Adam.Options(0.9, 0.99, 1e-8, 0.1, true, true, true)));
            dtypes(out.resolve("dtypes.safetensors"));
            ops(out.resolve("ops.safetensors"));
        }
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** a = (1, -2), b = (0.5, 3); loss at step k = <g_k, a> + <h_k, b>, b from step bFrom on. */
    private static void optimizer(Path dir, int steps, int bFrom, Function<Map<String, Tensor>, Adam> make)
            throws IOException {
        Files.createDirectories(dir);
        Tensor a = Tensor.of(new double[] {1.0, -2.0}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {0.5, 3.0}, 2).requiresGrad(true);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("a", a);
        params.put("b", b);
        Adam opt = make.apply(params);
        double[] rows = new double[steps * 4];
        for (int k = 0; k < steps; k++) {
            opt.zeroGrad();
            Tensor loss = Tensor.of(GRADS[k], 2).mul(a).sum();
            if (k >= bFrom) {
                loss = loss.add(Tensor.of(HGRADS[k], 2).mul(b).sum());
            }
            loss.backward();
            opt.step();
            System.arraycopy(a.toDoubleArray(), 0, rows, 4 * k, 2);
            System.arraycopy(b.toDoubleArray(), 0, rows, 4 * k + 2, 2);
        }
        TensorFiles.save(dir.resolve("trajectory.safetensors"), Map.of("params", Tensor.of(rows, steps, 4)),
                Map.of("steps", Integer.toString(steps), "b_from", Integer.toString(bFrom)));
        OptimizerFiles.save(dir, opt);
    }

    private static void dtypes(Path file) throws IOException {
        List<SafetensorsTensor> ts = new ArrayList<>();
        long[] shape = {FLOATS.length};
        for (SafetensorsDtype d : List.of(SafetensorsDtype.F64, SafetensorsDtype.F32, SafetensorsDtype.F16,
                SafetensorsDtype.BF16)) {
            ts.add(SafetensorsTensor.ofDoubles(d.name(), shape, FLOATS).storedAs(d));
        }
        ts.add(SafetensorsTensor.ofLongs("I64", SafetensorsDtype.I64, new long[] {4},
                new long[] {Long.MIN_VALUE, -1, 12345, Long.MAX_VALUE}));
        ts.add(SafetensorsTensor.ofLongs("I32", SafetensorsDtype.I32, new long[] {4},
                new long[] {Integer.MIN_VALUE, -1, 7, Integer.MAX_VALUE}));
        ts.add(SafetensorsTensor.ofLongs("I16", SafetensorsDtype.I16, new long[] {4}, new long[] {-32768, -2, 3, 32767}));
        ts.add(SafetensorsTensor.ofLongs("I8", SafetensorsDtype.I8, new long[] {4}, new long[] {-128, -1, 1, 127}));
        ts.add(SafetensorsTensor.ofLongs("U8", SafetensorsDtype.U8, new long[] {4}, new long[] {0, 1, 128, 255}));
        ts.add(SafetensorsTensor.ofLongs("BOOL", SafetensorsDtype.BOOL, new long[] {4}, new long[] {0, 1, 1, 0}));
        SafetensorsWriter.write(file, ts, Map.of());
    }

    private static void ops(Path file) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Tensor base = Tensor.of(new double[] {0, 0, 0, 0, 2}, 5).requiresGrad(true);
        Tensor exponent = Tensor.of(new double[] {0, 1, 2, 2.5, 3}, 5).requiresGrad(true);
        base.pow(exponent).sum().backward();
        out.put("pow_grad_base", base.grad());
        out.put("pow_grad_exponent", exponent.grad());
        double inf = Double.POSITIVE_INFINITY;
        out.put("logsumexp", Tensor.of(new double[] {-inf, -inf, 1, inf, -inf, 0, 0, Math.log(3)}, 4, 2)
                .logsumexp(1, false));
        Tensor r = Tensor.of(new double[] {Double.NaN, -1, 0, 2}, 4).requiresGrad(true);
        Tensor ry = r.relu();
        ry.sum().backward();
        out.put("relu", ry.detach());
        out.put("relu_grad", r.grad());
        Tensor c = Tensor.of(new double[] {-0.5, 0.7, 0.1, -2, 2}, 5).requiresGrad(true);
        c.clamp(-0.5, 0.7).sum().backward();
        out.put("clamp_grad", c.grad());
        out.put("leaky_relu_default", Tensor.of(new double[] {-2, 3}, 2).leakyRelu());
        out.put("embedding_f32", new SinusoidalEmbedding(128).forward(Tensor.of(DType.F32,
                new double[] {0, 1, 17, 999, 500.5, 3.25}, 6)));
        TensorFiles.save(file, out, Map.of());
    }
}
