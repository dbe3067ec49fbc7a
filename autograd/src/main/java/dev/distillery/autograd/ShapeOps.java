package dev.distillery.autograd;

import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.Storage;
import dev.distillery.autograd.backend.StridedView;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that move elements without arithmetic. Each primitive's gradient is its adjoint: reshape
 * and permute invert themselves, expand sums back, slice and embed (zero padding) are adjoint
 * to each other, as are indexSelect and indexAdd; concat splits the gradient back into slices.
 */
final class ShapeOps {
    private ShapeOps() {
    }

    /** Same elements, new dimensions (one may be -1). Shares storage: tensors are contiguous. */
    static Tensor reshape(Tensor x, int... dims) {
        int[] d = dims.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: more than one -1 in " + Arrays.toString(dims));
                }
                infer = i;
            } else {
                known *= d[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || x.numel() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot infer -1 in " + Arrays.toString(dims)
                        + " for " + x.numel() + " elements (shape " + x.shape() + ")");
            }
            d[infer] = (int) (x.numel() / known);
        }
        Shape target = Shape.of(d);
        if (target.numel() != x.numel()) {
            throw new IllegalArgumentException("reshape: shape " + x.shape() + " (" + x.numel()
                    + " elements) cannot become " + target + " (" + target.numel() + " elements)");
        }
        if (target.equals(x.shape())) {
            return x;
        }
        Shape from = x.shape();
        return Graph.record(Primitive.RESHAPE, new Tensor(x.storage(), target),
                g -> new Tensor[] {reshape(g, from.dims())}, x);
    }

    static Tensor flatten(Tensor x, int startAxis) {
        int s = x.shape().normalizeAxis(startAxis);
        int[] d = new int[s + 1];
        for (int i = 0; i < s; i++) {
            d[i] = x.dim(i);
        }
        d[s] = -1;
        return x.numel() == 0 ? x : reshape(x, d);
    }

    static Tensor unsqueeze(Tensor x, int axis) {
        int r = x.rank() + 1;
        int a = axis < 0 ? axis + r : axis;
        if (a < 0 || a >= r) {
            throw new IllegalArgumentException("unsqueeze: axis " + axis + " out of range for rank " + x.rank());
        }
        int[] d = new int[r];
        for (int i = 0, j = 0; i < r; i++) {
            d[i] = i == a ? 1 : x.dim(j++);
        }
        return reshape(x, d);
    }

    static Tensor squeeze(Tensor x, int axis) {
        int a = x.shape().normalizeAxis(axis);
        if (x.dim(a) != 1) {
            throw new IllegalArgumentException("squeeze: axis " + axis + " of shape " + x.shape() + " has size "
                    + x.dim(a) + ", not 1");
        }
        int[] d = new int[x.rank() - 1];
        for (int i = 0, j = 0; i < x.rank(); i++) {
            if (i != a) {
                d[j++] = x.dim(i);
            }
        }
        return reshape(x, d);
    }

    /** {@code out[i_0..] = x[i_{order^-1}..]}: dimension d of the output is dimension order[d] of x. */
    static Tensor permute(Tensor x, int... order) {
        int r = x.rank();
        if (order.length != r) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " has " + order.length
                    + " entries for a tensor of rank " + r);
        }
        int[] inverse = new int[r];
        boolean[] seen = new boolean[r];
        boolean identity = true;
        for (int d = 0; d < r; d++) {
            int o = x.shape().normalizeAxis(order[d]);
            if (seen[o]) {
                throw new IllegalArgumentException("permute: " + Arrays.toString(order) + " is not a permutation");
            }
            seen[o] = true;
            inverse[o] = d;
            identity &= o == d;
        }
        if (identity) {
            return x;
        }
        int[] st = x.shape().strides();
        int[] dims = new int[r];
        int[] srcStrides = new int[r];
        for (int d = 0; d < r; d++) {
            int o = x.shape().normalizeAxis(order[d]);
            dims[d] = x.dim(o);
            srcStrides[d] = st[o];
        }
        Tensor out = copyView(x, new StridedView(0, dims, srcStrides), Shape.of(dims));
        return Graph.record(Primitive.PERMUTE, out, g -> new Tensor[] {permute(g, inverse)}, x);
    }

    static Tensor transpose(Tensor x, int a, int b) {
        int[] order = new int[x.rank()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int na = x.shape().normalizeAxis(a);
        int nb = x.shape().normalizeAxis(b);
        order[na] = nb;
        order[nb] = na;
        return permute(x, order);
    }

    /** Broadcast to {@code dims}; the gradient sums over the broadcast axes. */
    static Tensor expand(Tensor x, int... dims) {
        int[] d = dims.clone();
        int off = d.length - x.rank();
        if (off < 0) {
            throw new IllegalArgumentException("expand: target " + Arrays.toString(dims) + " has lower rank than "
                    + x.shape());
        }
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (i < off) {
                    throw new IllegalArgumentException("expand: -1 is not allowed for a new leading dimension");
                }
                d[i] = x.dim(i - off);
            }
        }
        Shape target = Shape.of(d);
        if (!Shape.broadcast("expand", x.shape(), target).equals(target)) {
            throw new IllegalArgumentException("expand: " + x.shape() + " cannot be expanded to " + target);
        }
        if (target.equals(x.shape())) {
            return x;
        }
        Tensor out = copyView(x, new StridedView(0, d, x.shape().broadcastStrides(target)), target);
        Shape from = x.shape();
        return Graph.record(Primitive.EXPAND, out, g -> new Tensor[] {ElementwiseOps.unbroadcast(g, from)}, x);
    }

    /** Elements {@code start, start + step, ...} (below {@code end}) along one axis. */
    static Tensor slice(Tensor x, int axis, int start, int end, int step) {
        int a = x.shape().normalizeAxis(axis);
        int n = x.dim(a);
        if (step < 1 || start < 0 || end > n || start > end) {
            throw new IllegalArgumentException("slice: [" + start + ":" + end + ":" + step + "] is not a valid range "
                    + "of axis " + axis + " with size " + n + " (need 0 <= start <= end <= size, step >= 1)");
        }
        int[] starts = new int[x.rank()];
        int[] steps = new int[x.rank()];
        int[] out = x.shape().dims();
        Arrays.fill(steps, 1);
        starts[a] = start;
        steps[a] = step;
        out[a] = (end - start + step - 1) / step;
        return sliceNd(x, starts, steps, out);
    }

    /** Primitive: {@code out[i] = x[starts + i * steps]} per axis; adjoint of {@link #embed}. */
    static Tensor sliceNd(Tensor x, int[] starts, int[] steps, int[] outDims) {
        int[] st = x.shape().strides();
        int offset = 0;
        int[] s = new int[st.length];
        for (int d = 0; d < st.length; d++) {
            offset += starts[d] * st[d];
            s[d] = st[d] * steps[d];
        }
        Shape outShape = Shape.of(outDims);
        if (outShape.equals(x.shape())) {
            return x;
        }
        Tensor out = copyView(x, new StridedView(offset, outDims, s), outShape);
        Shape from = x.shape();
        return Graph.record(Primitive.SLICE, out, g -> new Tensor[] {embed(g, from, starts, steps)}, x);
    }

    /** Primitive: zeros of {@code outShape} with x placed at {@code starts + i * steps}; adjoint of slice. */
    static Tensor embed(Tensor x, Shape outShape, int[] starts, int[] steps) {
        Backend be = x.backend();
        Storage s = be.allocate(x.dtype(), outShape.numel());
        int[] st = outShape.strides();
        int offset = 0;
        int[] ds = new int[st.length];
        for (int d = 0; d < st.length; d++) {
            offset += starts[d] * st[d];
            ds[d] = st[d] * steps[d];
        }
        int[] xd = x.shape().dims();
        be.copy(x.storage(), StridedView.contiguous(xd), s, new StridedView(offset, xd, ds), false);
        return Graph.record(Primitive.EMBED, new Tensor(s, outShape),
                g -> new Tensor[] {sliceNd(g, starts, steps, xd)}, x);
    }

    static Tensor pad(Tensor x, int[] before, int[] after) {
        if (before.length != x.rank() || after.length != x.rank()) {
            throw new IllegalArgumentException("pad: need " + x.rank() + " amounts before and after for shape "
                    + x.shape() + ", got " + Arrays.toString(before) + " and " + Arrays.toString(after));
        }
        int[] out = new int[x.rank()];
        int[] steps = new int[x.rank()];
        for (int d = 0; d < out.length; d++) {
            if (before[d] < 0 || after[d] < 0) {
                throw new IllegalArgumentException("pad: negative padding " + Arrays.toString(before) + " / "
                        + Arrays.toString(after) + "; use slice to crop");
            }
            out[d] = x.dim(d) + before[d] + after[d];
            steps[d] = 1;
        }
        return embed(x, Shape.of(out), before.clone(), steps);
    }

    /** Joins tensors along an existing axis; the gradient is sliced back into the parts. */
    static Tensor concat(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat: no tensors given");
        }
        Tensor first = parts.get(0);
        int a = first.shape().normalizeAxis(axis);
        int total = 0;
        for (Tensor p : parts) {
            Graph.checkCompatible("concat", first, p);
            if (p.rank() != first.rank()) {
                throw new IllegalArgumentException("concat: ranks differ: " + first.shape() + " and " + p.shape());
            }
            for (int d = 0; d < p.rank(); d++) {
                if (d != a && p.dim(d) != first.dim(d)) {
                    throw new IllegalArgumentException("concat: shapes " + first.shape() + " and " + p.shape()
                            + " differ outside axis " + axis);
                }
            }
            total += p.dim(a);
        }
        Shape outShape = first.shape().with(a, total);
        Backend be = first.backend();
        Storage s = be.allocate(first.dtype(), outShape.numel());
        int[] st = outShape.strides();
        int[] offsets = new int[parts.size()];
        int off = 0;
        for (int i = 0; i < parts.size(); i++) {
            Tensor p = parts.get(i);
            offsets[i] = off;
            int[] pd = p.shape().dims();
            be.copy(p.storage(), StridedView.contiguous(pd), s, new StridedView(off * st[a], pd, st), false);
            off += p.dim(a);
        }
        Tensor[] inputs = parts.toArray(new Tensor[0]);
        return Graph.record(Primitive.CONCAT, new Tensor(s, outShape), g -> {
            Tensor[] grads = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i].requiresGrad()) {
                    grads[i] = slice(g, a, offsets[i], offsets[i] + inputs[i].dim(a), 1);
                }
            }
            return grads;
        }, inputs);
    }

    static Tensor stack(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("stack: no tensors given");
        }
        List<Tensor> u = new ArrayList<>(parts.size());
        for (Tensor p : parts) {
            if (!p.shape().equals(parts.get(0).shape())) {
                throw new IllegalArgumentException("stack: shapes differ: " + parts.get(0).shape() + " and " + p.shape());
            }
            u.add(unsqueeze(p, axis));
        }
        return concat(u, axis);
    }

    /** Gather: {@code out[.., j, ..] = x[.., index[j], ..]} along axis; gradient by indexAdd. */
    static Tensor indexSelect(Tensor x, int axis, int[] index) {
        int a = x.shape().normalizeAxis(axis);
        int len = x.dim(a);
        checkIndex("indexSelect", index, len);
        int[] idx = index.clone();
        int outer = prod(x.shape(), 0, a);
        int inner = prod(x.shape(), a + 1, x.rank());
        Shape outShape = x.shape().with(a, idx.length);
        Backend be = x.backend();
        Storage s = be.allocate(x.dtype(), outShape.numel());
        be.indexSelect(x.storage(), outer, len, inner, idx, s);
        return Graph.record(Primitive.INDEX_SELECT, new Tensor(s, outShape),
                g -> new Tensor[] {indexAdd(g, a, idx, len)}, x);
    }

    /** Scatter-add: zeros of length {@code size} along axis, slice j of x added at index[j]. */
    static Tensor indexAdd(Tensor x, int axis, int[] index, int size) {
        int a = x.shape().normalizeAxis(axis);
        if (index.length != x.dim(a)) {
            throw new IllegalArgumentException("indexAdd: " + index.length + " indices for axis " + axis
                    + " of size " + x.dim(a));
        }
        checkIndex("indexAdd", index, size);
        int[] idx = index.clone();
        int outer = prod(x.shape(), 0, a);
        int inner = prod(x.shape(), a + 1, x.rank());
        Shape outShape = x.shape().with(a, size);
        Backend be = x.backend();
        Storage s = be.allocate(x.dtype(), outShape.numel());
        be.indexAdd(x.storage(), outer, size, inner, idx, s);
        return Graph.record(Primitive.INDEX_ADD, new Tensor(s, outShape),
                g -> new Tensor[] {indexSelect(g, a, idx)}, x);
    }

    private static void checkIndex(String op, int[] index, int len) {
        for (int j = 0; j < index.length; j++) {
            if (index[j] < 0 || index[j] >= len) {
                throw new IndexOutOfBoundsException(op + ": index " + index[j] + " at position " + j
                        + " is outside 0.." + (len - 1));
            }
        }
    }

    static int prod(Shape s, int from, int to) {
        int p = 1;
        for (int d = from; d < to; d++) {
            p *= s.dim(d);
        }
        return p;
    }

    /** Materialises a strided view of x as a new contiguous tensor of the given shape. */
    private static Tensor copyView(Tensor x, StridedView view, Shape shape) {
        Backend be = x.backend();
        Storage s = be.allocate(x.dtype(), shape.numel());
        be.copy(x.storage(), view, s, StridedView.contiguous(shape.dims()), false);
        return new Tensor(s, shape);
    }
}
