package dev.distillery.autograd;

import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.BinaryKernel;
import dev.distillery.autograd.backend.ReduceKernel;
import dev.distillery.autograd.backend.ReducePlan;
import dev.distillery.autograd.backend.Storage;

import java.util.Arrays;

/** Reductions over axes (sum and max are primitives) and the composites built on them. */
final class ReductionOps {
    private ReductionOps() {
    }

    /** {@code sum_{axes} x}; the gradient is g broadcast back over the reduced axes. */
    static Tensor sum(Tensor x, int[] axes, boolean keepdim) {
        boolean[] mask = axisMask(x.shape(), axes, "sum");
        Tensor out = reduceNoGrad(ReduceKernel.SUM, x, mask, keepdim);
        Shape kept = keptShape(x.shape(), mask);
        return Graph.record(Primitive.SUM, out,
                g -> new Tensor[] {ShapeOps.expand(ShapeOps.reshape(g, kept.dims()), x.shape().dims())}, x);
    }

    /**
     * {@code max_{axes} x}; the gradient goes to the maximal elements, split evenly among ties
     * (as {@code torch.amax}).
     */
    static Tensor max(Tensor x, int[] axes, boolean keepdim) {
        boolean[] mask = axisMask(x.shape(), axes, "max");
        if (x.numel() == 0) {
            throw new IllegalArgumentException("max: cannot reduce an empty tensor of shape " + x.shape());
        }
        Tensor out = reduceNoGrad(ReduceKernel.MAX, x, mask, keepdim);
        Shape kept = keptShape(x.shape(), mask);
        return Graph.record(Primitive.MAX, out, g -> {
            Tensor m = ShapeOps.reshape(out.detach(), kept.dims());
            Tensor hit = ElementwiseOps.compare(BinaryKernel.EQ, x.detach(), m);
            Tensor count = reduceNoGrad(ReduceKernel.SUM, hit, mask, true);
            Tensor weight = ElementwiseOps.binaryNoGrad(BinaryKernel.DIV, hit, count);
            return new Tensor[] {ElementwiseOps.mul(ShapeOps.reshape(g, kept.dims()), weight)};
        }, x);
    }

    /** {@code sum x / n} over the axes. */
    static Tensor mean(Tensor x, int[] axes, boolean keepdim) {
        boolean[] mask = axisMask(x.shape(), axes, "mean");
        long n = 1;
        for (int d = 0; d < mask.length; d++) {
            n *= mask[d] ? x.shape().dim(d) : 1;
        }
        return ElementwiseOps.scale(sum(x, axes, keepdim), 1.0 / n);
    }

    /** {@code sum (x - mean)^2 / (n - correction)} over the axes. */
    static Tensor variance(Tensor x, int[] axes, boolean keepdim, int correction) {
        boolean[] mask = axisMask(x.shape(), axes, "variance");
        long n = 1;
        for (int d = 0; d < mask.length; d++) {
            n *= mask[d] ? x.shape().dim(d) : 1;
        }
        if (n - correction <= 0) {
            throw new IllegalArgumentException("variance: " + n + " elements with correction " + correction
                    + " leaves no degrees of freedom");
        }
        Tensor centred = ElementwiseOps.sub(x, mean(x, axes, true));
        return ElementwiseOps.scale(sum(ElementwiseOps.powScalar(centred, 2.0), axes, keepdim), 1.0 / (n - correction));
    }

    /**
     * {@code log sum exp x = m + log sum exp(x - m)} with {@code m = sg(max x)} for stability, and
     * m = 0 where the maximum is infinite, as PyTorch's {@code logsumexp}: a row of -inf gives
     * -inf (not -inf - -inf = NaN) and a row holding +inf gives +inf.
     */
    static Tensor logsumexp(Tensor x, int axis, boolean keepdim) {
        int[] axes = {axis};
        Tensor m = finiteOrZero(max(x.detach(), axes, true));
        Tensor s = ElementwiseOps.log(sum(ElementwiseOps.exp(ElementwiseOps.sub(x, m)), axes, true));
        Tensor out = ElementwiseOps.add(s, m);
        return keepdim ? out : ShapeOps.squeeze(out, axis);
    }

    /** {@code |m| = inf ? 0 : m}, for a constant m (no graph is recorded). */
    private static Tensor finiteOrZero(Tensor m) {
        Tensor absM = ElementwiseOps.abs(m);
        Tensor infinite = ElementwiseOps.compare(BinaryKernel.EQ, absM, m.constant(Double.POSITIVE_INFINITY));
        return ElementwiseOps.where(infinite, m.constant(0.0), m);
    }

    /** {@code softmax(x)_i = exp(x_i - logsumexp(x))}. */
    static Tensor softmax(Tensor x, int axis) {
        return ElementwiseOps.exp(logSoftmax(x, axis));
    }

    /** {@code log softmax(x)_i = x_i - logsumexp(x)}. */
    static Tensor logSoftmax(Tensor x, int axis) {
        return ElementwiseOps.sub(x, logsumexp(x, axis, true));
    }

    static Tensor reduceNoGrad(ReduceKernel kind, Tensor x, boolean[] mask, boolean keepdim) {
        ReducePlan plan = ReducePlan.of(x.shape().dims(), mask);
        Backend be = x.backend();
        Storage s = be.allocate(x.dtype(), plan.outer());
        be.reduce(kind, x.storage(), s, plan);
        Shape outShape = keepdim ? keptShape(x.shape(), mask) : droppedShape(x.shape(), mask);
        return new Tensor(s, outShape);
    }

    static boolean[] axisMask(Shape shape, int[] axes, String op) {
        boolean[] mask = new boolean[shape.rank()];
        for (int a : axes) {
            int n;
            try {
                n = shape.normalizeAxis(a);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
            }
            if (mask[n]) {
                throw new IllegalArgumentException(op + ": axis " + a + " listed twice in " + Arrays.toString(axes));
            }
            mask[n] = true;
        }
        return mask;
    }

    private static Shape keptShape(Shape s, boolean[] mask) {
        int[] d = s.dims();
        for (int i = 0; i < d.length; i++) {
            if (mask[i]) {
                d[i] = 1;
            }
        }
        return Shape.of(d);
    }

    private static Shape droppedShape(Shape s, boolean[] mask) {
        int n = 0;
        for (boolean m : mask) {
            n += m ? 0 : 1;
        }
        int[] d = new int[n];
        int k = 0;
        for (int i = 0; i < mask.length; i++) {
            if (!mask[i]) {
                d[k++] = s.dim(i);
            }
        }
        return Shape.of(d);
    }
}
