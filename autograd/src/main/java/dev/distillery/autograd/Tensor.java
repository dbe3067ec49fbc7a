package dev.distillery.autograd;

import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.BinaryKernel;
import dev.distillery.autograd.backend.RandomKind;
import dev.distillery.autograd.backend.Storage;
import dev.distillery.autograd.backend.StridedView;
import dev.distillery.autograd.random.Rng;

import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array of F32 or F64 values, contiguous in row-major order, and (when it
 * requires grad) the node of the graph that produced it.
 *
 * <p>Values are immutable to users: every op returns a new tensor, and tensors may share storage
 * (reshape does). The one exception is {@link #assign}, which optimizers, EMA and checkpoint
 * loading use to update parameters in place under {@link Autograd#noGrad()}.
 *
 * <p>Ops broadcast with NumPy's rules. Each op's math and gradient live in a small family class
 * ({@code ElementwiseOps}, {@code ReductionOps}, {@code ShapeOps}, {@code LinalgOps},
 * {@code NormOps}); the methods here only delegate.
 */
public final class Tensor {
    private final Storage storage;
    private final Shape shape;
    private Node node;
    private boolean requiresGrad;
    private Tensor grad;

    Tensor(Storage storage, Shape shape) {
        if (storage.size() != shape.numel()) {
            throw new IllegalArgumentException("storage of " + storage.size() + " elements cannot hold shape " + shape);
        }
        this.storage = storage;
        this.shape = shape;
    }

    // ---------------------------------------------------------------- creation

    /** Zeros of the given dtype and dimensions, on the current backend. */
    public static Tensor zeros(DType dtype, int... dims) {
        return zeros(dtype, Shape.of(dims));
    }

    public static Tensor zeros(DType dtype, Shape shape) {
        return new Tensor(Backends.current().allocate(dtype, shape.numel()), shape);
    }

    public static Tensor ones(DType dtype, int... dims) {
        return full(dtype, 1.0, Shape.of(dims));
    }

    public static Tensor ones(DType dtype, Shape shape) {
        return full(dtype, 1.0, shape);
    }

    public static Tensor full(DType dtype, double value, int... dims) {
        return full(dtype, value, Shape.of(dims));
    }

    public static Tensor full(DType dtype, double value, Shape shape) {
        Backend b = Backends.current();
        Storage s = b.allocate(dtype, shape.numel());
        if (value != 0.0) {
            b.fill(s, value);
        }
        return new Tensor(s, shape);
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(double value, DType dtype) {
        return full(dtype, value, Shape.scalar());
    }

    /** {@code start, start + step, ...} while below {@code end} (above, for negative steps). */
    public static Tensor arange(DType dtype, double start, double end, double step) {
        if (step == 0 || !Double.isFinite(start) || !Double.isFinite(end) || !Double.isFinite(step)) {
            throw new IllegalArgumentException("arange: start " + start + ", end " + end + ", step " + step
                    + " must be finite with a non-zero step");
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        return of(dtype, v, n);
    }

    /** {@code n} evenly spaced values from {@code start} to {@code end} inclusive. */
    public static Tensor linspace(DType dtype, double start, double end, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("linspace: n = " + n + " must be at least 1");
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = n == 1 ? start : start + (end - start) * i / (n - 1);
        }
        if (n > 1) {
            v[n - 1] = end;
        }
        return of(dtype, v, n);
    }

    /** An F64 tensor holding a copy of {@code data} with the given dimensions. */
    public static Tensor of(double[] data, int... dims) {
        return of(DType.F64, data, dims);
    }

    /** An F32 tensor holding a copy of {@code data} with the given dimensions. */
    public static Tensor of(float[] data, int... dims) {
        Shape s = checkedShape(data.length, dims);
        return new Tensor(Backends.current().upload(data), s);
    }

    /** A tensor of {@code dtype} holding {@code data} rounded to it. */
    public static Tensor of(DType dtype, double[] data, int... dims) {
        Shape s = checkedShape(data.length, dims);
        return new Tensor(Backends.current().upload(dtype, data), s);
    }

    private static Shape checkedShape(int length, int[] dims) {
        Shape s = Shape.of(dims);
        if (s.numel() != length) {
            throw new IllegalArgumentException("data of length " + length + " does not fit shape " + s
                    + " (" + s.numel() + " elements)");
        }
        return s;
    }

    /** Standard normal samples: element i is position {@code offset + i} of the Philox stream of {@code key}. */
    public static Tensor randn(DType dtype, long key, long offset, int... dims) {
        return random(RandomKind.NORMAL, dtype, key, offset, Shape.of(dims));
    }

    /** Uniform samples in (0, 1): element i is position {@code offset + i} of the stream of {@code key}. */
    public static Tensor rand(DType dtype, long key, long offset, int... dims) {
        return random(RandomKind.UNIFORM, dtype, key, offset, Shape.of(dims));
    }

    /** Standard normal samples drawn from the next positions of {@code rng}. */
    public static Tensor randn(DType dtype, Rng rng, int... dims) {
        Shape s = Shape.of(dims);
        return random(RandomKind.NORMAL, dtype, rng.key().value(), rng.reserve(s.numel()), s);
    }

    /** Uniform (0, 1) samples drawn from the next positions of {@code rng}. */
    public static Tensor rand(DType dtype, Rng rng, int... dims) {
        Shape s = Shape.of(dims);
        return random(RandomKind.UNIFORM, dtype, rng.key().value(), rng.reserve(s.numel()), s);
    }

    static Tensor random(RandomKind kind, DType dtype, long key, long offset, Shape shape) {
        Backend b = Backends.current();
        Storage s = b.allocate(dtype, shape.numel());
        b.random(kind, key, offset, s);
        return new Tensor(s, shape);
    }

    /** Rows of the identity: {@code out[i, labels[i]] = 1}. Not differentiable. */
    public static Tensor oneHot(int[] labels, int classes, DType dtype) {
        double[] v = new double[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("oneHot: label " + labels[i] + " at position " + i
                        + " is outside 0.." + (classes - 1));
            }
            v[i * classes + labels[i]] = 1.0;
        }
        return of(dtype, v, labels.length, classes);
    }

    /** Zeros with this tensor's dtype, shape and backend. */
    public Tensor zerosLike() {
        return new Tensor(backend().allocate(dtype(), numel()), shape);
    }

    /** A tensor of this one's shape, dtype and backend filled with {@code value}. */
    public Tensor fullLike(double value) {
        Storage s = backend().allocate(dtype(), numel());
        backend().fill(s, value);
        return new Tensor(s, shape);
    }

    // ---------------------------------------------------------------- properties

    public Shape shape() {
        return shape;
    }

    /** Size of dimension {@code axis} (negative counts from the end). */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    public int rank() {
        return shape.rank();
    }

    public int numel() {
        return shape.numel();
    }

    public DType dtype() {
        return storage.dtype();
    }

    public Backend backend() {
        return storage.backend();
    }

    /** The backing storage; for backends, optimizers and serialisation. */
    public Storage storage() {
        return storage;
    }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as a variable to differentiate with respect to; returns this. */
    public Tensor requiresGrad(boolean on) {
        if (node != null) {
            throw new IllegalStateException("requiresGrad can only be set on leaf tensors; use detach() first");
        }
        this.requiresGrad = on;
        return this;
    }

    /** True for tensors created by the user rather than by a recorded op. */
    public boolean isLeaf() {
        return node == null;
    }

    /** The accumulated gradient of a leaf after {@link #backward()}, or null. */
    public Tensor grad() {
        return grad;
    }

    /** Forgets the accumulated gradient. */
    public void zeroGrad() {
        grad = null;
    }

    /** Backpropagates from this scalar, accumulating into leaves' {@link #grad()}; frees the graph. */
    public void backward() {
        Autograd.backward(this, null, false);
    }

    /** As {@link #backward()} with an explicit output gradient and graph retention. */
    public void backward(Tensor gradOutput, boolean retainGraph) {
        Autograd.backward(this, gradOutput, retainGraph);
    }

    /** The same values cut from the graph: the papers' stop-gradient {@code sg(.)}. */
    public Tensor detach() {
        return new Tensor(storage, shape);
    }

    Node node() {
        return node;
    }

    void attach(Node n) {
        this.node = n;
        this.requiresGrad = true;
    }

    void accumulateGrad(Tensor g) {
        Tensor d = g.detach();
        grad = grad == null ? d : ElementwiseOps.binaryNoGrad(BinaryKernel.ADD, grad, d);
    }

    /**
     * Overwrites this tensor's values with {@code src}'s (same shape and dtype). Only for leaves
     * that are not being differentiated at the moment (optimizer steps, EMA, loading); it is the
     * single in-place operation of the library.
     */
    public void assign(Tensor src) {
        if (!src.shape.equals(shape) || src.dtype() != dtype()) {
            throw new IllegalArgumentException("assign: source " + src.dtype() + src.shape
                    + " does not match destination " + dtype() + shape);
        }
        if (node != null) {
            throw new IllegalStateException("assign: only leaf tensors can be updated in place");
        }
        Storage from = src.storage;
        if (from.backend() != backend()) {
            from = backend().upload(dtype(), src.backend().download(src.storage));
        }
        backend().copy(from, StridedView.contiguous(shape.dims()), storage,
                StridedView.contiguous(shape.dims()), false);
    }

    // ---------------------------------------------------------------- element access

    /** The value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item() needs a one-element tensor, this one has shape " + shape);
        }
        return backend().get(storage, 0);
    }

    /** The element at the given indices, widened to double. */
    public double get(int... index) {
        if (index.length != rank()) {
            throw new IllegalArgumentException("get: " + index.length + " indices for a tensor of rank " + rank());
        }
        int[] st = shape.strides();
        int off = 0;
        for (int d = 0; d < index.length; d++) {
            if (index[d] < 0 || index[d] >= shape.dim(d)) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of bounds for shape " + shape);
            }
            off += index[d] * st[d];
        }
        return backend().get(storage, off);
    }

    /** A copy of all elements in row-major order, widened to double. */
    public double[] toDoubleArray() {
        return backend().download(storage);
    }

    /** A copy of all elements in row-major order as floats. */
    public float[] toFloatArray() {
        return backend().downloadFloats(storage);
    }

    /** This tensor in another dtype (a differentiable cast). */
    public Tensor to(DType dtype) {
        return ElementwiseOps.cast(this, dtype);
    }

    /** This tensor's values on another backend (a copy through host memory; not differentiable). */
    public Tensor on(Backend target) {
        if (target == backend()) {
            return this;
        }
        return new Tensor(target.upload(dtype(), toDoubleArray()), shape);
    }

    @Override
    public String toString() {
        return TensorFormat.format(this);
    }

    // ---------------------------------------------------------------- elementwise

    public Tensor add(Tensor o) { return ElementwiseOps.add(this, o); }
    public Tensor sub(Tensor o) { return ElementwiseOps.sub(this, o); }
    public Tensor mul(Tensor o) { return ElementwiseOps.mul(this, o); }
    public Tensor div(Tensor o) { return ElementwiseOps.div(this, o); }
    public Tensor pow(Tensor o) { return ElementwiseOps.pow(this, o); }
    public Tensor maximum(Tensor o) { return ElementwiseOps.maximum(this, o); }
    public Tensor minimum(Tensor o) { return ElementwiseOps.minimum(this, o); }
    public Tensor add(double c) { return ElementwiseOps.shift(this, c); }
    public Tensor sub(double c) { return ElementwiseOps.shift(this, -c); }
    public Tensor mul(double c) { return ElementwiseOps.scale(this, c); }
    public Tensor div(double c) { return ElementwiseOps.div(this, constant(c)); }
    /** {@code c - this}. */
    public Tensor rsub(double c) { return ElementwiseOps.shift(ElementwiseOps.neg(this), c); }
    /** {@code c / this}. */
    public Tensor rdiv(double c) { return ElementwiseOps.div(constant(c), this); }
    public Tensor pow(double p) { return ElementwiseOps.powScalar(this, p); }
    public Tensor maximum(double c) { return ElementwiseOps.maximum(this, constant(c)); }
    public Tensor minimum(double c) { return ElementwiseOps.minimum(this, constant(c)); }
    public Tensor neg() { return ElementwiseOps.neg(this); }
    public Tensor square() { return ElementwiseOps.powScalar(this, 2.0); }
    public Tensor exp() { return ElementwiseOps.exp(this); }
    public Tensor log() { return ElementwiseOps.log(this); }
    public Tensor sqrt() { return ElementwiseOps.sqrt(this); }
    public Tensor rsqrt() { return ElementwiseOps.rsqrt(this); }
    public Tensor abs() { return ElementwiseOps.abs(this); }
    public Tensor sin() { return ElementwiseOps.sin(this); }
    public Tensor cos() { return ElementwiseOps.cos(this); }
    public Tensor tanh() { return ElementwiseOps.tanh(this); }
    public Tensor sigmoid() { return ElementwiseOps.sigmoid(this); }
    public Tensor relu() { return ElementwiseOps.relu(this); }
    public Tensor leakyRelu(double slope) { return ElementwiseOps.leakyRelu(this, slope); }
    /** Leaky ReLU with PyTorch's default slope 0.01 ({@code torch.nn.LeakyReLU(negative_slope=0.01)}). */
    public Tensor leakyRelu() { return ElementwiseOps.leakyRelu(this, 0.01); }
    public Tensor silu() { return ElementwiseOps.silu(this); }
    public Tensor gelu() { return ElementwiseOps.gelu(this); }
    public Tensor softplus() { return ElementwiseOps.softplus(this); }
    public Tensor erf() { return ElementwiseOps.erf(this); }
    public Tensor clamp(double lo, double hi) { return ElementwiseOps.clamp(this, lo, hi); }
    /** 1 where {@code this > o}, else 0 (not differentiable). */
    public Tensor gt(Tensor o) { return ElementwiseOps.compare(BinaryKernel.GT, this, o); }
    public Tensor ge(Tensor o) { return ElementwiseOps.compare(BinaryKernel.GE, this, o); }
    public Tensor lt(Tensor o) { return ElementwiseOps.compare(BinaryKernel.GT, o, this); }
    public Tensor le(Tensor o) { return ElementwiseOps.compare(BinaryKernel.GE, o, this); }
    public Tensor eq(Tensor o) { return ElementwiseOps.compare(BinaryKernel.EQ, this, o); }
    public Tensor gt(double c) { return gt(constant(c)); }
    public Tensor lt(double c) { return lt(constant(c)); }

    /** {@code cond != 0 ? a : b}, broadcasting all three; differentiable in a and b. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return ElementwiseOps.where(cond, a, b); }

    /** A scalar constant of this tensor's dtype on its backend. */
    Tensor constant(double c) {
        Storage s = backend().allocate(dtype(), 1);
        backend().fill(s, c);
        return new Tensor(s, Shape.scalar());
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements (rank 0). */
    public Tensor sum() { return ReductionOps.sum(this, allAxes(), false); }
    public Tensor sum(int axis, boolean keepdim) { return ReductionOps.sum(this, new int[] {axis}, keepdim); }
    public Tensor sum(int[] axes, boolean keepdim) { return ReductionOps.sum(this, axes, keepdim); }
    public Tensor mean() { return ReductionOps.mean(this, allAxes(), false); }
    public Tensor mean(int axis, boolean keepdim) { return ReductionOps.mean(this, new int[] {axis}, keepdim); }
    public Tensor mean(int[] axes, boolean keepdim) { return ReductionOps.mean(this, axes, keepdim); }
    public Tensor max() { return ReductionOps.max(this, allAxes(), false); }
    public Tensor max(int axis, boolean keepdim) { return ReductionOps.max(this, new int[] {axis}, keepdim); }
    public Tensor max(int[] axes, boolean keepdim) { return ReductionOps.max(this, axes, keepdim); }
    public Tensor min(int axis, boolean keepdim) { return ReductionOps.max(neg(), new int[] {axis}, keepdim).neg(); }
    public Tensor logsumexp(int axis, boolean keepdim) { return ReductionOps.logsumexp(this, axis, keepdim); }
    /** Population variance (divides by n) over the axes. */
    public Tensor variance(int[] axes, boolean keepdim) { return ReductionOps.variance(this, axes, keepdim, 0); }
    /** Variance dividing by {@code n - correction} (1 gives the unbiased estimate, as torch.var). */
    public Tensor variance(int[] axes, boolean keepdim, int correction) { return ReductionOps.variance(this, axes, keepdim, correction); }
    public Tensor softmax(int axis) { return ReductionOps.softmax(this, axis); }
    public Tensor logSoftmax(int axis) { return ReductionOps.logSoftmax(this, axis); }

    private int[] allAxes() {
        int[] a = new int[rank()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }

    // ---------------------------------------------------------------- shape

    /** The same elements in another shape; one dimension may be -1 (inferred). Shares storage. */
    public Tensor reshape(int... dims) { return ShapeOps.reshape(this, dims); }
    /** Collapses all dimensions from {@code startAxis} on into one. */
    public Tensor flatten(int startAxis) { return ShapeOps.flatten(this, startAxis); }
    public Tensor unsqueeze(int axis) { return ShapeOps.unsqueeze(this, axis); }
    public Tensor squeeze(int axis) { return ShapeOps.squeeze(this, axis); }
    public Tensor permute(int... order) { return ShapeOps.permute(this, order); }
    public Tensor transpose(int a, int b) { return ShapeOps.transpose(this, a, b); }
    /** Broadcasts to {@code dims} (NumPy rules; -1 keeps a dimension). */
    public Tensor expand(int... dims) { return ShapeOps.expand(this, dims); }
    /** Elements {@code start, start+1, ..., end-1} along {@code axis}. */
    public Tensor slice(int axis, int start, int end) { return ShapeOps.slice(this, axis, start, end, 1); }
    public Tensor slice(int axis, int start, int end, int step) { return ShapeOps.slice(this, axis, start, end, step); }
    /** Zero padding: {@code before[d]} and {@code after[d]} elements added to each dimension d. */
    public Tensor pad(int[] before, int[] after) { return ShapeOps.pad(this, before, after); }
    /** Rows {@code index[j]} along {@code axis} (repeats allowed). */
    public Tensor indexSelect(int axis, int[] index) { return ShapeOps.indexSelect(this, axis, index); }
    /** The adjoint of indexSelect: adds slice j of this into position index[j] of a zero tensor of length {@code size} along axis. */
    public Tensor indexAdd(int axis, int[] index, int size) { return ShapeOps.indexAdd(this, axis, index, size); }
    public static Tensor concat(List<Tensor> parts, int axis) { return ShapeOps.concat(parts, axis); }
    public static Tensor stack(List<Tensor> parts, int axis) { return ShapeOps.stack(parts, axis); }

    // ---------------------------------------------------------------- linear algebra and images

    /**
     * Matrix product over the last two dimensions, broadcasting batch dimensions, with
     * torch.matmul's rank-1 cases: {@code [k] x [..., k, n] -> [..., n]},
     * {@code [..., m, k] x [k] -> [..., m]} and {@code [k] x [k] ->} the dot product (rank 0).
     */
    public Tensor matmul(Tensor o) { return LinalgOps.matmul(this, o, false, false); }
    /** {@code op(this) op(o)} where op transposes the last two dimensions when its flag is set. */
    public Tensor matmul(Tensor o, boolean transThis, boolean transOther) { return LinalgOps.matmul(this, o, transThis, transOther); }
    /** 2-D convolution (cross-correlation, as PyTorch) of {@code [B, C, H, W]} with weight {@code [O, C/groups, kh, kw]}. */
    public Tensor conv2d(Tensor weight, Tensor bias, int stride, int padding, int groups) {
        return LinalgOps.conv2d(this, weight, bias, stride, padding, groups);
    }
    /** im2col: {@code [B, C, H, W] -> [B, C*kh*kw, outH*outW]}. */
    public Tensor unfold(int kh, int kw, int stride, int padding) { return LinalgOps.unfold(this, kh, kw, stride, padding); }
    public Tensor avgPool2d(int kernel, int stride) { return LinalgOps.avgPool2d(this, kernel, stride); }
    public Tensor upsampleNearest2d(int scale) { return LinalgOps.upsampleNearest2d(this, scale); }
    /**
     * PyTorch's {@code F.max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode)} of
     * {@code [B, C, H, W]}; each argument a pair {@code {h, w}}. Positions outside the input count
     * as {@code -inf}; the gradient goes to the window's maximum chosen as PyTorch chooses it (the
     * first in the window's row-major scan among equal maxima; see
     * {@link dev.distillery.autograd.backend.PoolGeometry}), summed over the windows it wins.
     */
    public Tensor maxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return PoolOps.maxPool2d(this, kernel, stride, padding, dilation, ceilMode).output();
    }
    /** {@link #maxPool2d} with PyTorch's {@code return_indices=True}: the output and the flat per-plane indices. */
    public Pooled maxPool2dWithIndices(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return PoolOps.maxPool2d(this, kernel, stride, padding, dilation, ceilMode);
    }

    // ---------------------------------------------------------------- normalisation

    /** Layer norm over the last {@code normalizedDims} dimensions, then {@code * weight + bias} (either may be null). */
    public Tensor layerNorm(int normalizedDims, Tensor weight, Tensor bias, double eps) {
        return NormOps.layerNorm(this, normalizedDims, weight, bias, eps);
    }
    /** Group norm of {@code [B, C, ...]} with {@code groups} groups, then per-channel affine (either may be null). */
    public Tensor groupNorm(int groups, Tensor weight, Tensor bias, double eps) {
        return NormOps.groupNorm(this, groups, weight, bias, eps);
    }
}
