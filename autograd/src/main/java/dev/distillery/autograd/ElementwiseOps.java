package dev.distillery.autograd;

import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.BinaryKernel;
import dev.distillery.autograd.backend.ElementwisePlan;
import dev.distillery.autograd.backend.Storage;
import dev.distillery.autograd.backend.UnaryKernel;

/**
 * Elementwise primitives and the activations composed from them. Each primitive is one block:
 * the forward kernel call, then its derivative written in differentiable ops. Gradients that
 * flow into broadcast operands are summed back to the operand's shape by {@link #unbroadcast}.
 */
final class ElementwiseOps {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double INV_SQRT_2 = 0.7071067811865476;

    private ElementwiseOps() {
    }

    // ------------------------------------------------------------ binary primitives

    /** {@code a + b}; d/da = 1, d/db = 1. */
    static Tensor add(Tensor a, Tensor b) {
        Tensor out = binaryNoGrad(BinaryKernel.ADD, a, b);
        return Graph.record(Primitive.ADD, out,
                g -> new Tensor[] {unbroadcast(g, a.shape()), unbroadcast(g, b.shape())}, a, b);
    }

    /** {@code a - b}; d/da = 1, d/db = -1. */
    static Tensor sub(Tensor a, Tensor b) {
        Tensor out = binaryNoGrad(BinaryKernel.SUB, a, b);
        return Graph.record(Primitive.SUB, out,
                g -> new Tensor[] {unbroadcast(g, a.shape()), unbroadcast(neg(g), b.shape())}, a, b);
    }

    /** {@code a b}; d/da = b, d/db = a. */
    static Tensor mul(Tensor a, Tensor b) {
        Tensor out = binaryNoGrad(BinaryKernel.MUL, a, b);
        return Graph.record(Primitive.MUL, out, g -> new Tensor[] {
                a.requiresGrad() ? unbroadcast(mul(g, b), a.shape()) : null,
                b.requiresGrad() ? unbroadcast(mul(g, a), b.shape()) : null}, a, b);
    }

    /** {@code a / b}; d/da = 1/b, d/db = -a/b^2. */
    static Tensor div(Tensor a, Tensor b) {
        Tensor out = binaryNoGrad(BinaryKernel.DIV, a, b);
        return Graph.record(Primitive.DIV, out, g -> new Tensor[] {
                a.requiresGrad() ? unbroadcast(div(g, b), a.shape()) : null,
                b.requiresGrad() ? unbroadcast(neg(div(mul(g, a), mul(b, b))), b.shape()) : null}, a, b);
    }

    /**
     * {@code a^b}; d/da = b a^(b-1), d/db = a^b log a (only evaluated when b needs a gradient), with
     * PyTorch's conventions where the formulas read 0 * inf: d/da = 0 where b = 0, and d/db = 0
     * where a = 0 and b >= 0 (the limit of a^b log a as a -> 0+), as {@code pow_backward_self} and
     * {@code pow_backward_exponent} in PyTorch's {@code FunctionsManual.cpp}.
     */
    static Tensor pow(Tensor a, Tensor b) {
        Tensor out = binaryNoGrad(BinaryKernel.POW, a, b);
        return Graph.record(Primitive.POW, out, g -> {
            Tensor zero = g.constant(0.0);
            Tensor da = null;
            Tensor db = null;
            if (a.requiresGrad()) {
                Tensor bIsZero = compare(BinaryKernel.EQ, b, zero);
                da = unbroadcast(where(bIsZero, zero, mul(g, mul(b, pow(a, shift(b, -1.0))))), a.shape());
            }
            if (b.requiresGrad()) {
                Tensor zeroBase = binaryNoGrad(BinaryKernel.MUL, compare(BinaryKernel.EQ, a, zero),
                        compare(BinaryKernel.GE, b, zero));
                db = unbroadcast(where(zeroBase, zero, mul(g, mul(pow(a, b), log(a)))), b.shape());
            }
            return new Tensor[] {da, db};
        }, a, b);
    }

    /** {@code max(a, b)}; the gradient goes to the larger operand, split evenly on ties. */
    static Tensor maximum(Tensor a, Tensor b) {
        Tensor out = binaryNoGrad(BinaryKernel.MAX, a, b);
        return Graph.record(Primitive.MAXIMUM, out, g -> selectGrad(g, a, b, true), a, b);
    }

    /** {@code min(a, b)}; the gradient goes to the smaller operand, split evenly on ties. */
    static Tensor minimum(Tensor a, Tensor b) {
        Tensor out = binaryNoGrad(BinaryKernel.MIN, a, b);
        return Graph.record(Primitive.MINIMUM, out, g -> selectGrad(g, a, b, false), a, b);
    }

    /**
     * Routes g to the operand that won (the larger for max, the smaller for min): weight 1, or
     * 1/2 each on ties. The weights are constants, so second derivatives vanish as they should.
     */
    private static Tensor[] selectGrad(Tensor g, Tensor a, Tensor b, boolean max) {
        Tensor aWins = max ? compare(BinaryKernel.GT, a, b) : compare(BinaryKernel.GT, b, a);
        Tensor bWins = max ? compare(BinaryKernel.GT, b, a) : compare(BinaryKernel.GT, a, b);
        Tensor ties = scale(compare(BinaryKernel.EQ, a, b), 0.5);
        return new Tensor[] {
                a.requiresGrad() ? unbroadcast(mul(g, add(aWins, ties)), a.shape()) : null,
                b.requiresGrad() ? unbroadcast(mul(g, add(bWins, ties)), b.shape()) : null};
    }

    /** {@code cond != 0 ? a : b}; d/da = [cond], d/db = [not cond]; cond gets no gradient. */
    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Graph.checkCompatible("where", cond, a, b);
        Shape out = Shape.broadcast("where", Shape.broadcast("where", cond.shape(), a.shape()), b.shape());
        ElementwisePlan plan = ElementwisePlan.of(out.dims(), cond.shape().broadcastStrides(out),
                a.shape().broadcastStrides(out), b.shape().broadcastStrides(out));
        Backend be = a.backend();
        Storage s = be.allocate(a.dtype(), out.numel());
        be.where(cond.storage(), a.storage(), b.storage(), s, plan);
        Tensor c = cond.detach();
        return Graph.record(Primitive.WHERE, new Tensor(s, out), g -> {
            Tensor zero = g.constant(0.0);
            return new Tensor[] {null,
                    a.requiresGrad() ? unbroadcast(where(c, g, zero), a.shape()) : null,
                    b.requiresGrad() ? unbroadcast(where(c, zero, g), b.shape()) : null};
        }, cond, a, b);
    }

    /** A 0/1 comparison result; constant with respect to both operands. */
    static Tensor compare(BinaryKernel k, Tensor a, Tensor b) {
        return binaryNoGrad(k, a, b);
    }

    /** Runs a binary kernel with broadcasting and records nothing. */
    static Tensor binaryNoGrad(BinaryKernel k, Tensor a, Tensor b) {
        Graph.checkCompatible(k.name().toLowerCase(java.util.Locale.ROOT), a, b);
        Shape out = Shape.broadcast(k.name().toLowerCase(java.util.Locale.ROOT), a.shape(), b.shape());
        ElementwisePlan plan = ElementwisePlan.of(out.dims(), a.shape().broadcastStrides(out),
                b.shape().broadcastStrides(out));
        Backend be = a.backend();
        Storage s = be.allocateForOverwrite(a.dtype(), out.numel());
        be.binary(k, a.storage(), b.storage(), s, plan);
        return new Tensor(s, out);
    }

    /** Sums a broadcast gradient back to {@code shape}: over added leading axes and over axes of size 1. */
    static Tensor unbroadcast(Tensor g, Shape shape) {
        if (g.shape().equals(shape)) {
            return g;
        }
        int lead = g.rank() - shape.rank();
        int[] axes = new int[g.rank()];
        int n = 0;
        for (int d = 0; d < g.rank(); d++) {
            if (d < lead || (shape.dim(d - lead) == 1 && g.shape().dim(d) != 1)) {
                axes[n++] = d;
            }
        }
        Tensor s = n == 0 ? g : ReductionOps.sum(g, java.util.Arrays.copyOf(axes, n), true);
        return ShapeOps.reshape(s, shape.dims());
    }

    // ------------------------------------------------------------ unary primitives

    private static Tensor unaryNoGrad(UnaryKernel k, double p, Tensor x) {
        Backend be = x.backend();
        Storage s = be.allocateForOverwrite(x.dtype(), x.numel());
        be.unary(k, p, x.storage(), s);
        return new Tensor(s, x.shape());
    }

    /** {@code -x}. */
    static Tensor neg(Tensor x) {
        return Graph.record(Primitive.NEG, unaryNoGrad(UnaryKernel.NEG, 0, x), g -> new Tensor[] {neg(g)}, x);
    }

    /** {@code c x}; d/dx = c. */
    static Tensor scale(Tensor x, double c) {
        return Graph.record(Primitive.SCALE, unaryNoGrad(UnaryKernel.SCALE, c, x), g -> new Tensor[] {scale(g, c)}, x);
    }

    /** {@code x + c}; d/dx = 1. */
    static Tensor shift(Tensor x, double c) {
        return Graph.record(Primitive.SHIFT, unaryNoGrad(UnaryKernel.SHIFT, c, x), g -> new Tensor[] {g}, x);
    }

    /** {@code e^x}; d/dx = e^x, the output itself (which stays differentiable for second order). */
    static Tensor exp(Tensor x) {
        Tensor y = unaryNoGrad(UnaryKernel.EXP, 0, x);
        return Graph.record(Primitive.EXP, y, g -> new Tensor[] {mul(g, y)}, x);
    }

    /** {@code log x}; d/dx = 1/x. */
    static Tensor log(Tensor x) {
        return Graph.record(Primitive.LOG, unaryNoGrad(UnaryKernel.LOG, 0, x), g -> new Tensor[] {div(g, x)}, x);
    }

    /** {@code sqrt x}; d/dx = 1/(2 sqrt x). */
    static Tensor sqrt(Tensor x) {
        Tensor y = unaryNoGrad(UnaryKernel.SQRT, 0, x);
        return Graph.record(Primitive.SQRT, y, g -> new Tensor[] {div(g, scale(y, 2.0))}, x);
    }

    /** {@code x^(-1/2)}; d/dx = -x^(-3/2)/2 = -rsqrt(x) / (2x). */
    static Tensor rsqrt(Tensor x) {
        Tensor y = unaryNoGrad(UnaryKernel.RSQRT, 0, x);
        return Graph.record(Primitive.RSQRT, y, g -> new Tensor[] {mul(g, scale(div(y, x), -0.5))}, x);
    }

    /** {@code |x|}; d/dx = sign(x) (0 at 0, as PyTorch). */
    static Tensor abs(Tensor x) {
        return Graph.record(Primitive.ABS, unaryNoGrad(UnaryKernel.ABS, 0, x),
                g -> new Tensor[] {mul(g, unaryNoGrad(UnaryKernel.SIGN, 0, x))}, x);
    }

    /** {@code sin x}; d/dx = cos x. */
    static Tensor sin(Tensor x) {
        return Graph.record(Primitive.SIN, unaryNoGrad(UnaryKernel.SIN, 0, x), g -> new Tensor[] {mul(g, cos(x))}, x);
    }

    /** {@code cos x}; d/dx = -sin x. */
    static Tensor cos(Tensor x) {
        return Graph.record(Primitive.COS, unaryNoGrad(UnaryKernel.COS, 0, x), g -> new Tensor[] {neg(mul(g, sin(x)))}, x);
    }

    /** {@code tanh x}; d/dx = 1 - tanh^2 x. */
    static Tensor tanh(Tensor x) {
        Tensor y = unaryNoGrad(UnaryKernel.TANH, 0, x);
        return Graph.record(Primitive.TANH, y, g -> new Tensor[] {mul(g, shift(neg(powScalar(y, 2.0)), 1.0))}, x);
    }

    /** {@code s(x) = 1/(1+e^-x)}; d/dx = s(x)(1 - s(x)). */
    static Tensor sigmoid(Tensor x) {
        Tensor y = unaryNoGrad(UnaryKernel.SIGMOID, 0, x);
        return Graph.record(Primitive.SIGMOID, y, g -> new Tensor[] {mul(g, mul(y, shift(neg(y), 1.0)))}, x);
    }

    /**
     * SiLU (swish) {@code x s(x)}, {@code s = sigmoid}; d/dx = {@code s (1 + x (1 - s))}, one
     * kernel each way (as {@code x * sigmoid(x)} it took two passes forward and seven back). The
     * backward is {@code g * siluGrad(x)} in differentiable ops when its graph is recorded
     * (second order), else the backend's fused {@code siluBackward}, which gives the same values.
     */
    static Tensor silu(Tensor x) {
        return Graph.record(Primitive.SILU, unaryNoGrad(UnaryKernel.SILU, 0, x),
                g -> new Tensor[] {Autograd.isGradEnabled() ? mul(g, siluGrad(x)) : siluBackward(g, x)}, x);
    }

    private static Tensor siluBackward(Tensor g, Tensor x) {
        Backend be = x.backend();
        Storage s = be.allocateForOverwrite(x.dtype(), x.numel());
        be.siluBackward(x.storage(), g.storage(), s);
        return new Tensor(s, x.shape());
    }

    /** SiLU's derivative {@code s (1 + x (1 - s))}; d/dx = {@code s (1 - s) (2 + x (1 - 2 s))}. */
    static Tensor siluGrad(Tensor x) {
        return Graph.record(Primitive.SILU_GRAD, unaryNoGrad(UnaryKernel.SILU_GRAD, 0, x), g -> {
            Tensor s = sigmoid(x);
            Tensor ds = mul(s, shift(neg(s), 1.0));
            return new Tensor[] {mul(g, mul(ds, shift(mul(x, shift(scale(s, -2.0), 1.0)), 2.0)))};
        }, x);
    }

    /**
     * {@code max(x, 0)} (NaN stays NaN); d/dx = [not x <= 0], so 1 for x > 0 and, as PyTorch's
     * {@code threshold_backward} ({@code x <= 0 ? 0 : g}), also at NaN.
     */
    static Tensor relu(Tensor x) {
        return Graph.record(Primitive.RELU, unaryNoGrad(UnaryKernel.RELU, 0, x), g -> {
            Tensor notPositive = compare(BinaryKernel.GE, x.constant(0.0), x);
            return new Tensor[] {mul(g, unaryNoGrad(UnaryKernel.SHIFT, 1.0, unaryNoGrad(UnaryKernel.NEG, 0, notPositive)))};
        }, x);
    }

    /** {@code x > 0 ? x : slope x}; d/dx = [x > 0] (1 - slope) + slope. */
    static Tensor leakyRelu(Tensor x, double slope) {
        return Graph.record(Primitive.LEAKY_RELU, unaryNoGrad(UnaryKernel.LEAKY_RELU, slope, x), g -> {
            Tensor d = unaryNoGrad(UnaryKernel.SHIFT, slope, unaryNoGrad(UnaryKernel.SCALE, 1.0 - slope,
                    unaryNoGrad(UnaryKernel.STEP, 0, x)));
            return new Tensor[] {mul(g, d)};
        }, x);
    }

    /** {@code log(1 + e^x)}; d/dx = sigmoid(x). */
    static Tensor softplus(Tensor x) {
        return Graph.record(Primitive.SOFTPLUS, unaryNoGrad(UnaryKernel.SOFTPLUS, 0, x),
                g -> new Tensor[] {mul(g, sigmoid(x))}, x);
    }

    /** {@code erf x}; d/dx = (2/sqrt(pi)) e^{-x^2}. */
    static Tensor erf(Tensor x) {
        return Graph.record(Primitive.ERF, unaryNoGrad(UnaryKernel.ERF, 0, x),
                g -> new Tensor[] {mul(g, scale(exp(neg(powScalar(x, 2.0))), TWO_OVER_SQRT_PI))}, x);
    }

    /**
     * {@code x^p} for a constant p; d/dx = p x^(p-1), and 0 for p = 0 (where the formula reads
     * 0 * x^-1, NaN at x = 0), as PyTorch's {@code pow_backward}.
     */
    static Tensor powScalar(Tensor x, double p) {
        return Graph.record(Primitive.POW_SCALAR, unaryNoGrad(UnaryKernel.POW_SCALAR, p, x), g -> {
            if (p == 0.0) {
                return new Tensor[] {g.zerosLike()};
            }
            Tensor d = p == 2.0 ? scale(x, 2.0) : scale(powScalar(x, p - 1.0), p);
            return new Tensor[] {mul(g, d)};
        }, x);
    }

    /** Conversion to another dtype; the gradient converts back. */
    static Tensor cast(Tensor x, DType dtype) {
        if (x.dtype() == dtype) {
            return x;
        }
        Backend be = x.backend();
        Storage s = be.allocate(dtype, x.numel());
        be.cast(x.storage(), s);
        DType from = x.dtype();
        return Graph.record(Primitive.CAST, new Tensor(s, x.shape()), g -> new Tensor[] {cast(g, from)}, x);
    }

    // ------------------------------------------------------------ composites (no backward of their own)

    /** GELU, exact form used by PyTorch's default: {@code x Phi(x) = x (1 + erf(x / sqrt 2)) / 2}. */
    static Tensor gelu(Tensor x) {
        return mul(scale(x, 0.5), shift(erf(scale(x, INV_SQRT_2)), 1.0));
    }

    /**
     * {@code min(max(x, lo), hi)} (NaN stays NaN), with PyTorch's gradient: g where
     * {@code lo <= x <= hi}, bounds included, else 0 ({@code clamp_backward} in PyTorch's
     * {@code FunctionsManual.cpp}). As {@code min(max(...))} the gradient at an exact bound would be
     * split between x and the bound.
     */
    static Tensor clamp(Tensor x, double lo, double hi) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clamp: lower bound " + lo + " exceeds upper bound " + hi);
        }
        Tensor clamped = binaryNoGrad(BinaryKernel.MIN, binaryNoGrad(BinaryKernel.MAX, x, x.constant(lo)), x.constant(hi));
        if (!x.requiresGrad() || !Autograd.isGradEnabled()) {
            return clamped;
        }
        Tensor inside = binaryNoGrad(BinaryKernel.MUL, compare(BinaryKernel.GE, x, x.constant(lo)),
                compare(BinaryKernel.GE, x.constant(hi), x));
        return where(inside, x, clamped);
    }
}
