package dev.distillery.nn;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.io.SafetensorsDtype;
import dev.distillery.autograd.io.SafetensorsTensor;
import dev.distillery.autograd.io.SafetensorsWriter;
import dev.distillery.autograd.io.TensorFiles;
import dev.distillery.nn.checkpoint.OptimizerFiles;
import dev.distillery.autograd.Autograd;
import dev.distillery.nn.layers.BatchNorm;
import dev.distillery.nn.layers.BatchNorm1d;
import dev.distillery.nn.layers.BatchNorm2d;
import dev.distillery.nn.layers.Conv2d;
import dev.distillery.nn.layers.ConvTranspose2d;
import dev.distillery.nn.layers.MaxPool2d;
import dev.distillery.nn.layers.MultiHeadAttention;
import dev.distillery.nn.layers.SinusoidalEmbedding;
import dev.distillery.nn.layers.Upsample;
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
 *   layers.safetensors                   BatchNorm2d (two training batches, then eval), BatchNorm1d
 *                                        on [N, C, L] with a cumulative average, MaxPool2d with
 *                                        padding, rank-1 matmul, ConvTranspose2d, Conv2d with dilation
 *                                        and every padding mode, bilinear and
 *                                        non-integer upsampling, MultiHeadAttention loaded from the
 *                                        packed in_proj_weight: inputs, outputs, gradients, buffers
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
            layers(out.resolve("layers.safetensors"));
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

    /**
     * The layers of issue 23. BatchNorm2d(3) with weight and bias set, two training batches (the
     * second's output gradient of {@code <r, y>} in input, weight and bias), its buffers, then one
     * evaluation batch; BatchNorm1d(2, momentum=None) on {@code [N, C, L]} over two batches;
     * MaxPool2d(3, stride 2, padding 1) with its input gradient; matmul with vector operands;
     * ConvTranspose2d(4 -> 6, 3x3, stride 2, padding 1, output_padding 1, groups 2) with its input
     * and weight gradients; Conv2d(4 -> 6, 3x3, stride 2, padding 2, dilation 2, groups 2) in each
     * padding mode; Upsample bilinear (factors 1.5, 0.5; 2.5 with aligned corners) and
     * nearest (1.5); MultiHeadAttention(4, 2) written as torch's packed state dict, loaded back and run.
     */
    private static void layers(Path file) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        BatchNorm2d bn = new BatchNorm2d(3, Init.of(DType.F64, 1));
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            bn.namedParameters().get("weight").assign(Tensor.of(new double[] {1.5, -0.5, 2}, 3));
            bn.namedParameters().get("bias").assign(Tensor.of(new double[] {0.1, 0.2, -0.3}, 3));
        }
        Tensor x1 = Tensor.randn(DType.F64, 101, 0, 4, 3, 3, 2).mul(2).add(1);
        Tensor x2 = Tensor.randn(DType.F64, 102, 0, 4, 3, 3, 2).mul(0.5).sub(1).requiresGrad(true);
        Tensor r = Tensor.randn(DType.F64, 103, 0, 4, 3, 3, 2);
        out.put("bn2d_x1", x1);
        out.put("bn2d_x2", x2.detach());
        out.put("bn2d_r", r);
        out.put("bn2d_y1", bn.forward(x1).detach());
        Tensor y2 = bn.forward(x2);
        y2.mul(r).sum().backward();
        out.put("bn2d_y2", y2.detach());
        out.put("bn2d_x2_grad", x2.grad());
        out.put("bn2d_weight_grad", bn.namedParameters().get("weight").grad());
        out.put("bn2d_bias_grad", bn.namedParameters().get("bias").grad());
        bn.namedBuffers().forEach((k, v) -> out.put("bn2d_" + k, v.detach()));
        bn.eval();
        Tensor x3 = Tensor.randn(DType.F64, 104, 0, 2, 3, 2, 2);
        out.put("bn2d_x3", x3);
        out.put("bn2d_y3", bn.forward(x3).detach());

        BatchNorm bn1 = new BatchNorm1d(2, 1e-5, null, true, true, Init.of(DType.F64, 1));
        Tensor a1 = Tensor.randn(DType.F64, 105, 0, 3, 2, 4);
        Tensor a2 = Tensor.randn(DType.F64, 106, 0, 3, 2, 4).mul(3);
        out.put("bn1d_x1", a1);
        out.put("bn1d_x2", a2);
        bn1.forward(a1);
        out.put("bn1d_y2", bn1.forward(a2).detach());
        bn1.namedBuffers().forEach((k, v) -> out.put("bn1d_" + k, v.detach()));

        Tensor p = Tensor.randn(DType.F64, 107, 0, 2, 2, 5, 4).sub(3).requiresGrad(true);
        Tensor pr = Tensor.randn(DType.F64, 108, 0, 2, 2, 3, 2);
        Tensor py = new MaxPool2d(3, 2, 1).forward(p);
        py.mul(pr).sum().backward();
        out.put("maxpool_x", p.detach());
        out.put("maxpool_r", pr);
        out.put("maxpool_y", py.detach());
        out.put("maxpool_x_grad", p.grad());

        Tensor v = Tensor.randn(DType.F64, 109, 0, 4);
        Tensor m = Tensor.randn(DType.F64, 110, 0, 2, 4, 3);
        Tensor mt = Tensor.randn(DType.F64, 111, 0, 3, 4);
        out.put("mm_v", v);
        out.put("mm_m", m);
        out.put("mm_mt", mt);
        out.put("mm_v_m", v.matmul(m));
        out.put("mm_mt_v", mt.matmul(v));
        out.put("mm_v_v", v.matmul(v).reshape(1));

        ConvTranspose2d ct = new ConvTranspose2d(4, 6, 3, 2, 1, 1, 2, true, Init.of(DType.F64, 3));
        Tensor cx = Tensor.randn(DType.F64, 113, 0, 2, 4, 3, 4).requiresGrad(true);
        Tensor cr = Tensor.randn(DType.F64, 114, 0, 2, 6, 6, 8);
        Tensor cy = ct.forward(cx);
        cy.mul(cr).sum().backward();
        out.put("convt_x", cx.detach());
        out.put("convt_r", cr);
        out.put("convt_weight", ct.weight().detach());
        out.put("convt_bias", ct.namedParameters().get("bias").detach());
        out.put("convt_y", cy.detach());
        out.put("convt_x_grad", cx.grad());
        out.put("convt_weight_grad", ct.weight().grad());

        for (Conv2d.PaddingMode mode : Conv2d.PaddingMode.values()) {
            Conv2d conv = new Conv2d(4, 6, 3, 2, 2, 2, 2, true, mode, Init.of(DType.F64, 4));
            String name = "conv_" + mode.name().toLowerCase(java.util.Locale.ROOT);
            conv.stateDict().forEach((k, t) -> out.put(name + "_" + k, t.detach()));
            out.put(name + "_y", conv.forward(Tensor.randn(DType.F64, 116, 0, 2, 4, 5, 6)).detach());
        }
        out.put("conv_x", Tensor.randn(DType.F64, 116, 0, 2, 4, 5, 6));

        Tensor ux = Tensor.randn(DType.F64, 115, 0, 1, 2, 3, 4);
        out.put("upsample_x", ux);
        out.put("upsample_bilinear_1.5", new Upsample(1.5, Upsample.Mode.BILINEAR, false).forward(ux));
        out.put("upsample_bilinear_aligned_2.5", new Upsample(2.5, Upsample.Mode.BILINEAR, true).forward(ux));
        out.put("upsample_nearest_1.5", new Upsample(1.5, Upsample.Mode.NEAREST, false).forward(ux));
        out.put("upsample_bilinear_0.5", new Upsample(0.5, Upsample.Mode.BILINEAR, false).forward(ux));

        MultiHeadAttention mha = new MultiHeadAttention(4, 2, Init.of(DType.F64, 2));
        Map<String, Tensor> packed = mha.toPyTorchStateDict();
        packed.forEach((k, t) -> out.put("mha_" + k, t));
        Tensor seqs = Tensor.randn(DType.F64, 112, 0, 2, 3, 4);
        out.put("mha_x", seqs);
        MultiHeadAttention reloaded = new MultiHeadAttention(4, 2, Init.of(DType.F64, 9));
        reloaded.loadPyTorchStateDict(packed);
        out.put("mha_y", reloaded.forward(seqs).detach());
        TensorFiles.save(file, out, Map.of());
    }
}
