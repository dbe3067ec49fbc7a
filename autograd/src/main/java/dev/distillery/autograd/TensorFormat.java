package dev.distillery.autograd;

/** Renders tensors like PyTorch: nested brackets, summarised with "..." beyond a few elements per axis. */
final class TensorFormat {
    private static final int EDGE = 3;
    private static final int FULL_LIMIT = 1000;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        double[] v = t.toDoubleArray();
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.rank() == 0) {
            sb.append(number(v[0]));
        } else {
            append(sb, v, t.shape().dims(), t.shape().strides(), 0, 0, t.numel() > FULL_LIMIT, 7);
        }
        sb.append(", shape=").append(t.shape()).append(", dtype=").append(t.dtype());
        if (t.requiresGrad()) {
            sb.append(", requiresGrad");
        }
        return sb.append(')').toString();
    }

    private static void append(StringBuilder sb, double[] v, int[] dims, int[] strides, int axis, int offset,
                               boolean summarise, int indent) {
        sb.append('[');
        int n = dims[axis];
        for (int i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE && i == EDGE) {
                sb.append(axis == dims.length - 1 ? "..., " : "...,\n" + " ".repeat(indent + axis + 1));
                i = n - EDGE - 1;
                continue;
            }
            if (axis == dims.length - 1) {
                sb.append(number(v[offset + i * strides[axis]]));
            } else {
                append(sb, v, dims, strides, axis + 1, offset + i * strides[axis], summarise, indent);
            }
            if (i < n - 1) {
                sb.append(axis == dims.length - 1 ? ", " : ",\n" + " ".repeat(indent + axis + 1));
            }
        }
        sb.append(']');
    }

    private static String number(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return String.format("%.1f", x);
        }
        return String.format("%.6g", x);
    }
}
