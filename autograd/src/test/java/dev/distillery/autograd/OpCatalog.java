package dev.distillery.autograd;

import static dev.distillery.autograd.OpCase.InputSpec.awayFromZero;
import static dev.distillery.autograd.OpCase.InputSpec.uniform;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every public op with the input domain on which it is smooth: the table the registry test
 * gradchecks (first and second order, F64) and checks for backend conformance (F32 and F64).
 * Random inputs avoid kinks (|x| = 0, ties) with probability about 1e-6 per element; the seeds
 * are fixed, so the suite is deterministic.
 */
public final class OpCatalog {
    private OpCatalog() {
    }

    public static List<OpCase> all() {
        List<OpCase> c = new ArrayList<>();
        // binary, with and without broadcasting
        c.add(op("add", v -> v.get(0).add(v.get(1)), uniform(-2, 2, 2, 3), uniform(-2, 2, 2, 3)));
        c.add(op("add/broadcast", v -> v.get(0).add(v.get(1)), uniform(-2, 2, 2, 1, 3), uniform(-2, 2, 4, 1)));
        c.add(op("add/scalar", v -> v.get(0).add(0.75), uniform(-2, 2, 2, 3)));
        c.add(op("sub", v -> v.get(0).sub(v.get(1)), uniform(-2, 2, 3, 1), uniform(-2, 2, 1, 4)));
        c.add(op("sub/scalar", v -> v.get(0).sub(1.5), uniform(-2, 2, 5)));
        c.add(op("rsub", v -> v.get(0).rsub(1.5), uniform(-2, 2, 5)));
        c.add(op("mul", v -> v.get(0).mul(v.get(1)), uniform(-2, 2, 2, 3), uniform(-2, 2, 3)));
        c.add(op("mul/scalar", v -> v.get(0).mul(-1.25), uniform(-2, 2, 2, 3)));
        c.add(op("div", v -> v.get(0).div(v.get(1)), uniform(-2, 2, 2, 3), awayFromZero(0.5, 2, 2, 3)));
        c.add(op("div/scalar", v -> v.get(0).div(3.0), uniform(-2, 2, 4)));
        c.add(op("rdiv", v -> v.get(0).rdiv(2.0), awayFromZero(0.5, 2, 4)));
        c.add(op("pow", v -> v.get(0).pow(v.get(1)), uniform(0.5, 2, 2, 3), uniform(-1.5, 1.5, 2, 3)));
        c.add(op("pow/scalar", v -> v.get(0).pow(2.5), uniform(0.5, 2, 2, 3)));
        c.add(op("square", v -> v.get(0).square(), uniform(-2, 2, 2, 3)));
        c.add(op("maximum", v -> v.get(0).maximum(v.get(1)), uniform(-1, 1, 3, 3), uniform(-1, 1, 3)));
        c.add(op("maximum/scalar", v -> v.get(0).maximum(0.1), uniform(-1, 1, 6)));
        c.add(op("minimum", v -> v.get(0).minimum(v.get(1)), uniform(-1, 1, 3, 3), uniform(-1, 1, 3, 1)));
        c.add(op("minimum/scalar", v -> v.get(0).minimum(0.1), uniform(-1, 1, 6)));
        c.add(op("where", v -> Tensor.where(v.get(0).gt(0.0), v.get(0), v.get(1).mul(2.0)),
                uniform(-1, 1, 2, 3), uniform(-1, 1, 3)));
        // unary
        c.add(op("neg", v -> v.get(0).neg(), uniform(-2, 2, 2, 3)));
        c.add(op("exp", v -> v.get(0).exp(), uniform(-2, 2, 2, 3)));
        c.add(op("log", v -> v.get(0).log(), uniform(0.2, 3, 2, 3)));
        c.add(op("sqrt", v -> v.get(0).sqrt(), uniform(0.2, 3, 2, 3)));
        c.add(op("rsqrt", v -> v.get(0).rsqrt(), uniform(0.2, 3, 2, 3)));
        c.add(op("abs", v -> v.get(0).abs(), awayFromZero(0.1, 2, 2, 3)));
        c.add(op("sin", v -> v.get(0).sin(), uniform(-3, 3, 2, 3)));
        c.add(op("cos", v -> v.get(0).cos(), uniform(-3, 3, 2, 3)));
        c.add(op("tanh", v -> v.get(0).tanh(), uniform(-2, 2, 2, 3)));
        c.add(op("sigmoid", v -> v.get(0).sigmoid(), uniform(-4, 4, 2, 3)));
        c.add(op("relu", v -> v.get(0).relu(), awayFromZero(0.1, 2, 2, 3)));
        c.add(op("leakyRelu", v -> v.get(0).leakyRelu(0.2), awayFromZero(0.1, 2, 2, 3)));
        c.add(op("silu", v -> v.get(0).silu(), uniform(-3, 3, 2, 3)));
        c.add(op("gelu", v -> v.get(0).gelu(), uniform(-3, 3, 2, 3)));
        c.add(op("softplus", v -> v.get(0).softplus(), uniform(-4, 4, 2, 3)));
        c.add(op("erf", v -> v.get(0).erf(), uniform(-2.5, 2.5, 2, 3)));
        c.add(op("clamp", v -> v.get(0).clamp(-0.5, 0.7), uniform(-1, 1, 3, 3)));
        // x^2 of a 12-bit grid value is exact in F32, and so are the finite differences with step 2^-12
        c.add(new OpCase("to", List.of(OpCase.InputSpec.onGrid(-1, 1, 0x1p-12, 5)),
                v -> v.get(0).to(DType.F32).square().to(DType.F64), 4, new GradCheck.Tolerance(0x1p-12, 1e-5, 1e-3)));
        // reductions
        c.add(op("sum", v -> v.get(0).sum(), 8, uniform(-1, 1, 2, 4)));
        c.add(op("sum/axis", v -> v.get(0).sum(1, false), 8, uniform(-1, 1, 2, 4, 3)));
        c.add(op("sum/axes-keepdim", v -> v.get(0).sum(new int[] {0, 2}, true), 8, uniform(-1, 1, 2, 4, 3)));
        c.add(op("mean", v -> v.get(0).mean(), 8, uniform(-1, 1, 2, 4)));
        c.add(op("mean/axis", v -> v.get(0).mean(-1, true), 8, uniform(-1, 1, 3, 4)));
        c.add(op("mean/axes", v -> v.get(0).mean(new int[] {0, 1}, false), 8, uniform(-1, 1, 3, 4, 2)));
        c.add(op("max", v -> v.get(0).max(), uniform(-1, 1, 3, 4)));
        c.add(op("max/axis", v -> v.get(0).max(1, false), uniform(-1, 1, 3, 4)));
        c.add(op("max/axes", v -> v.get(0).max(new int[] {0, 2}, true), uniform(-1, 1, 3, 2, 4)));
        c.add(op("min", v -> v.get(0).min(0, true), uniform(-1, 1, 3, 4)));
        c.add(op("logsumexp", v -> v.get(0).logsumexp(1, false), 16, uniform(-3, 3, 3, 4)));
        c.add(op("variance", v -> v.get(0).variance(new int[] {1}, false), 32, uniform(-1, 1, 3, 5)));
        c.add(op("variance/unbiased", v -> v.get(0).variance(new int[] {0, 1}, true, 1), 32, uniform(-1, 1, 3, 5)));
        c.add(op("softmax", v -> v.get(0).softmax(-1), 16, uniform(-3, 3, 3, 4)));
        c.add(op("logSoftmax", v -> v.get(0).logSoftmax(1), 16, uniform(-3, 3, 3, 4)));
        // shape
        c.add(op("reshape", v -> v.get(0).reshape(3, -1).mul(v.get(0).reshape(3, 4)), uniform(-1, 1, 2, 6)));
        c.add(op("flatten", v -> v.get(0).flatten(1).square(), uniform(-1, 1, 2, 3, 2)));
        c.add(op("unsqueeze", v -> v.get(0).unsqueeze(1).mul(v.get(0).unsqueeze(0)), uniform(-1, 1, 3)));
        c.add(op("squeeze", v -> v.get(0).squeeze(1).square(), uniform(-1, 1, 3, 1)));
        c.add(op("permute", v -> v.get(0).permute(2, 0, 1).square(), uniform(-1, 1, 2, 3, 4)));
        c.add(op("transpose", v -> v.get(0).transpose(0, 1).mul(v.get(1)), uniform(-1, 1, 2, 3), uniform(-1, 1, 3, 2)));
        c.add(op("expand", v -> v.get(0).expand(3, 2, 4).square(), uniform(-1, 1, 2, 1)));
        c.add(op("slice", v -> v.get(0).slice(1, 1, 4).square(), uniform(-1, 1, 2, 5)));
        c.add(op("slice/step", v -> v.get(0).slice(0, 0, 5, 2).square(), uniform(-1, 1, 5, 2)));
        c.add(op("pad", v -> v.get(0).pad(new int[] {1, 0}, new int[] {0, 2}).square(), uniform(-1, 1, 2, 3)));
        c.add(op("indexSelect", v -> v.get(0).indexSelect(0, new int[] {2, 0, 2, 1}).square(), uniform(-1, 1, 3, 2)));
        c.add(op("indexAdd", v -> v.get(0).indexAdd(1, new int[] {1, 1, 0}, 4).square(), uniform(-1, 1, 2, 3)));
        c.add(op("concat", v -> Tensor.concat(List.of(v.get(0), v.get(1)), 1).square(), uniform(-1, 1, 2, 3),
                uniform(-1, 1, 2, 2)));
        c.add(op("stack", v -> Tensor.stack(List.of(v.get(0), v.get(1)), 0).square(), uniform(-1, 1, 2, 3),
                uniform(-1, 1, 2, 3)));
        // linear algebra and images
        c.add(op("matmul", v -> v.get(0).matmul(v.get(1)), 8, uniform(-1, 1, 3, 4), uniform(-1, 1, 4, 2)));
        c.add(op("matmul/batched-broadcast", v -> v.get(0).matmul(v.get(1)), 8, uniform(-1, 1, 2, 1, 3, 4),
                uniform(-1, 1, 3, 4, 2)));
        // a 2-D left operand shared by a batch of thin right ones: dA is one product over the batch
        c.add(op("matmul/shared-left-thin", v -> v.get(0).matmul(v.get(1)), 8, uniform(-1, 1, 4, 6),
                uniform(-1, 1, 3, 6, 2)));
        // torch.matmul's rank-1 operands: a vector on the left is a row, on the right a column, squeezed away
        c.add(op("matmul/vector-matrix", v -> v.get(0).matmul(v.get(1)), 8, uniform(-1, 1, 4), uniform(-1, 1, 4, 3)));
        c.add(op("matmul/matrix-vector", v -> v.get(0).matmul(v.get(1)), 8, uniform(-1, 1, 3, 4), uniform(-1, 1, 4)));
        c.add(op("matmul/vector-vector", v -> v.get(0).matmul(v.get(1)), 8, uniform(-1, 1, 4), uniform(-1, 1, 4)));
        c.add(op("matmul/vector-batched", v -> v.get(0).matmul(v.get(1)), 8, uniform(-1, 1, 4), uniform(-1, 1, 2, 4, 3)));
        c.add(op("matmul/batched-vector", v -> v.get(0).matmul(v.get(1)), 8, uniform(-1, 1, 2, 3, 4), uniform(-1, 1, 4)));
        c.add(op("matmul/transposed", v -> v.get(0).matmul(v.get(1), true, true), 8, uniform(-1, 1, 4, 3),
                uniform(-1, 1, 2, 4)));
        c.add(op("conv2d", v -> v.get(0).conv2d(v.get(1), v.get(2), 1, 1, 1), 32, uniform(-1, 1, 2, 2, 4, 4),
                uniform(-1, 1, 3, 2, 3, 3), uniform(-1, 1, 3)));
        // stride 2 without groups: the input gradient is the fold of W^T g, not a convolution
        c.add(op("conv2d/stride", v -> v.get(0).conv2d(v.get(1), null, 2, 1, 1), 32, uniform(-1, 1, 2, 2, 5, 5),
                uniform(-1, 1, 3, 2, 3, 3)));
        // no padding, a non-square kernel: the input gradient is a convolution at padding k - 1
        c.add(op("conv2d/valid", v -> v.get(0).conv2d(v.get(1), null, 1, 0, 1), 32, uniform(-1, 1, 1, 3, 4, 5),
                uniform(-1, 1, 2, 3, 2, 3)));
        c.add(op("conv2d/stride-groups", v -> v.get(0).conv2d(v.get(1), null, 2, 1, 2), 32, uniform(-1, 1, 1, 4, 5, 5),
                uniform(-1, 1, 2, 2, 3, 3)));
        c.add(op("unfold", v -> v.get(0).unfold(2, 2, 1, 0).square(), uniform(-1, 1, 1, 2, 3, 3)));
        c.add(op("avgPool2d", v -> v.get(0).avgPool2d(2, 2).square(), 8, uniform(-1, 1, 1, 2, 4, 4)));
        // PyTorch's max_pool2d: rectangular kernel and stride, padding, dilation, ceil mode; the
        // values are a gather at the argmax, the gradient its scatter-add adjoint
        c.add(op("maxPool2d", v -> v.get(0).maxPool2d(new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1},
                new int[] {1, 2}, true).square(), uniform(-1, 1, 2, 2, 5, 6)));
        c.add(op("maxPool2d/overlapping", v -> v.get(0).maxPool2d(new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1}, false).mul(v.get(1)), uniform(-1, 1, 1, 2, 3, 4), uniform(-1, 1, 1, 2, 2, 3)));
        c.add(op("upsampleNearest2d", v -> v.get(0).upsampleNearest2d(2).square(), uniform(-1, 1, 1, 2, 2, 3)));
        c.add(op("layerNorm", v -> v.get(0).layerNorm(1, v.get(1), v.get(2), 1e-5), 64, uniform(-1, 1, 3, 4),
                uniform(0.5, 1.5, 4), uniform(-1, 1, 4)));
        c.add(op("groupNorm", v -> v.get(0).groupNorm(2, v.get(1), v.get(2), 1e-5), 64, uniform(-1, 1, 2, 4, 2, 2),
                uniform(0.5, 1.5, 4), uniform(-1, 1, 4)));
        c.add(op("groupNorm/no-affine", v -> v.get(0).groupNorm(3, null, null, 1e-5).square(), 64, uniform(-1, 1, 2, 6, 3)));
        c.add(op("groupNorm/weight-only", v -> v.get(0).groupNorm(1, v.get(1), null, 1e-5), 64, uniform(-1, 1, 3, 2),
                uniform(0.5, 1.5, 2)));
        return c;
    }

    private static OpCase op(String name, Function<List<Tensor>, Tensor> f, OpCase.InputSpec... inputs) {
        return new OpCase(name, List.of(inputs), f, 4, GradCheck.Tolerance.DEFAULT);
    }

    private static OpCase op(String name, Function<List<Tensor>, Tensor> f, double conditioning, OpCase.InputSpec... inputs) {
        return new OpCase(name, List.of(inputs), f, conditioning, GradCheck.Tolerance.DEFAULT);
    }
}
