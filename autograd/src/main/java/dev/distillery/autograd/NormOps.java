package dev.distillery.autograd;

import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.GroupNormPlan;
import dev.distillery.autograd.backend.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Normalisation layers, {@code y = (x - mean) / sqrt(var + eps) * weight + bias} with the biased
 * (population) variance, as PyTorch's LayerNorm and GroupNorm: layer norm as a composition of
 * reductions and elementwise ops, group norm (26 times in a W3 step) as a primitive with fused
 * backend kernels.
 */
final class NormOps {
    private NormOps() {
    }

    /** Normalises over the last {@code nd} dimensions; weight and bias have those dimensions. */
    static Tensor layerNorm(Tensor x, int nd, Tensor weight, Tensor bias, double eps) {
        if (nd < 1 || nd > x.rank()) {
            throw new IllegalArgumentException("layerNorm: cannot normalise over the last " + nd
                    + " dimensions of " + x.shape());
        }
        int[] axes = new int[nd];
        for (int i = 0; i < nd; i++) {
            axes[i] = x.rank() - nd + i;
        }
        Tensor y = standardise(x, axes, eps);
        return affine(y, weight, bias, x.shape(), "layerNorm");
    }

    /**
     * Splits the channels of {@code [B, C, ...]} into groups and normalises each group of each
     * sample: {@code y = (x - mu) r w[c] + b[c]}, {@code r = 1/sqrt(var + eps)} (biased variance).
     * A primitive so that a backend can fuse its passes. Its gradient, with
     * {@code xhat = (x - mu) r} and {@code dxhat = g w[c]}, is
     * {@code dx = r (dxhat - mean_group(dxhat) - xhat mean_group(dxhat xhat))},
     * {@code dw[c] = sum g xhat}, {@code db[c] = sum g}: written in differentiable ops
     * ({@link #groupNormGradients}) when the gradient's own graph is recorded, and evaluated by the
     * backend's fused kernel otherwise (same formula, no graph).
     */
    static Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, double eps) {
        if (x.rank() < 2 || groups < 1 || x.dim(1) % groups != 0) {
            throw new IllegalArgumentException("groupNorm: " + groups + " groups do not divide the channels of "
                    + x.shape() + " (expected [B, C, ...] with C divisible by groups)");
        }
        int c = x.dim(1);
        checkChannels(weight, c, "groupNorm weight");
        checkChannels(bias, c, "groupNorm bias");
        List<Tensor> operands = new ArrayList<>(List.of(x));
        if (weight != null) {
            operands.add(weight);
        }
        if (bias != null) {
            operands.add(bias);
        }
        Tensor[] inputs = operands.toArray(new Tensor[0]);
        Graph.checkCompatible("groupNorm", inputs);
        GroupNormPlan plan = new GroupNormPlan(x.dim(0), c, groups, x.numel() / Math.max(1, x.dim(0) * c), eps);
        Backend be = x.backend();
        Storage y = be.allocate(x.dtype(), x.numel());
        Storage mean = be.allocate(x.dtype(), plan.count());
        Storage rstd = be.allocate(x.dtype(), plan.count());
        be.groupNorm(x.storage(), storageOf(weight), storageOf(bias), y, mean, rstd, plan);
        return Graph.record(Primitive.GROUP_NORM, new Tensor(y, x.shape()), g -> {
            Tensor[] grads = Autograd.isGradEnabled()
                    ? groupNormGradients(x, groups, weight, bias, eps, g)
                    : fusedGroupNormGradients(x, weight, bias, mean, rstd, plan, g);
            List<Tensor> out = new ArrayList<>();
            out.add(grads[0]);
            if (weight != null) {
                out.add(grads[1]);
            }
            if (bias != null) {
                out.add(grads[2]);
            }
            return out.toArray(new Tensor[0]);
        }, inputs);
    }

    /** The gradients {@code (dx, dw, db)} of group norm in differentiable ops (each null where not wanted). */
    private static Tensor[] groupNormGradients(Tensor x, int groups, Tensor weight, Tensor bias, double eps, Tensor g) {
        int b = x.dim(0), c = x.dim(1);
        int[] perChannel = new int[x.rank()];
        Arrays.fill(perChannel, 1);
        perChannel[1] = c;
        int[] exceptChannel = new int[x.rank() - 1];
        exceptChannel[0] = 0;
        for (int d = 2; d < x.rank(); d++) {
            exceptChannel[d - 1] = d;
        }
        Tensor grouped = ShapeOps.reshape(x, b, groups, -1);
        Tensor centred = ElementwiseOps.sub(grouped, ReductionOps.mean(grouped, new int[] {2}, true));
        Tensor r = ElementwiseOps.rsqrt(ElementwiseOps.shift(
                ReductionOps.mean(ElementwiseOps.powScalar(centred, 2.0), new int[] {2}, true), eps));
        Tensor xhat = ShapeOps.reshape(ElementwiseOps.mul(centred, r), x.shape().dims());
        Tensor dw = weight == null || !weight.requiresGrad() ? null
                : ShapeOps.reshape(ReductionOps.sum(ElementwiseOps.mul(g, xhat), exceptChannel, false), weight.shape().dims());
        Tensor db = bias == null || !bias.requiresGrad() ? null
                : ShapeOps.reshape(ReductionOps.sum(g, exceptChannel, false), bias.shape().dims());
        Tensor dx = null;
        if (x.requiresGrad()) {
            Tensor dxhat = weight == null ? g : ElementwiseOps.mul(g, ShapeOps.reshape(weight, perChannel));
            Tensor d = ShapeOps.reshape(dxhat, b, groups, -1);
            Tensor xh = ShapeOps.reshape(xhat, b, groups, -1);
            Tensor meanD = ReductionOps.mean(d, new int[] {2}, true);
            Tensor meanDX = ReductionOps.mean(ElementwiseOps.mul(d, xh), new int[] {2}, true);
            dx = ShapeOps.reshape(ElementwiseOps.mul(r, ElementwiseOps.sub(ElementwiseOps.sub(d, meanD),
                    ElementwiseOps.mul(xh, meanDX))), x.shape().dims());
        }
        return new Tensor[] {dx, dw, db};
    }

    /** The same gradients from the backend's fused kernel, with the forward's saved statistics. */
    private static Tensor[] fusedGroupNormGradients(Tensor x, Tensor weight, Tensor bias, Storage mean, Storage rstd,
                                                    GroupNormPlan plan, Tensor g) {
        Backend be = x.backend();
        Storage dx = x.requiresGrad() ? be.allocate(x.dtype(), x.numel()) : null;
        Storage dw = weight != null && weight.requiresGrad() ? be.allocate(x.dtype(), weight.numel()) : null;
        Storage db = bias != null && bias.requiresGrad() ? be.allocate(x.dtype(), bias.numel()) : null;
        be.groupNormBackward(x.storage(), storageOf(weight), mean, rstd, g.storage(), dx, dw, db, plan);
        return new Tensor[] {
            dx == null ? null : new Tensor(dx, x.shape()),
            dw == null ? null : new Tensor(dw, weight.shape()),
            db == null ? null : new Tensor(db, bias.shape())};
    }

    private static Storage storageOf(Tensor t) {
        return t == null ? null : t.storage();
    }

    private static void checkChannels(Tensor t, int c, String what) {
        if (t != null && t.numel() != c) {
            throw new IllegalArgumentException(what + " must have " + c + " elements, got shape " + t.shape());
        }
    }

    /** {@code (x - mean) rsqrt(var + eps)} over the axes. */
    private static Tensor standardise(Tensor x, int[] axes, double eps) {
        Tensor centred = ElementwiseOps.sub(x, ReductionOps.mean(x, axes, true));
        Tensor var = ReductionOps.mean(ElementwiseOps.powScalar(centred, 2.0), axes, true);
        return ElementwiseOps.mul(centred, ElementwiseOps.rsqrt(ElementwiseOps.shift(var, eps)));
    }

    private static Tensor affine(Tensor y, Tensor weight, Tensor bias, Shape xShape, String op) {
        if (weight != null) {
            y = ElementwiseOps.mul(y, weight);
        }
        if (bias != null) {
            y = ElementwiseOps.add(y, bias);
        }
        if (!y.shape().equals(xShape)) {
            throw new IllegalArgumentException(op + ": weight/bias shapes do not match the normalised dimensions of " + xShape);
        }
        return y;
    }
}
