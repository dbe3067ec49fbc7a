package dev.distillery.autograd;

import java.util.Arrays;

/**
 * An immutable list of dimension sizes in row-major (C) order, the order PyTorch and NumPy use.
 * A rank-0 shape is a scalar with one element.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final int numel;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims)
                        + " has more than 2^31-1 elements; split the tensor");
            }
        }
        this.dims = dims;
        this.numel = (int) n;
    }

    /** A shape with the given dimensions (the array is copied). */
    public static Shape of(int... dims) {
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    public static Shape scalar() {
        return SCALAR;
    }

    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code axis}; negative axes count from the end. */
    public int dim(int axis) {
        return dims[normalizeAxis(axis)];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    public int numel() {
        return numel;
    }

    /** Row-major strides in elements: the last dimension has stride 1. */
    public int[] strides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /** Maps a possibly negative axis to {@code [0, rank)}, or throws naming the rank. */
    public int normalizeAxis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for shape " + this
                    + " (rank " + dims.length + ")");
        }
        return a;
    }

    /** This shape with dimension {@code axis} replaced by {@code size}. */
    public Shape with(int axis, int size) {
        int[] d = dims.clone();
        d[normalizeAxis(axis)] = size;
        return new Shape(d);
    }

    /**
     * NumPy broadcasting: align trailing dimensions; each pair must be equal or contain a 1.
     *
     * @param op the operation, named in the error message
     */
    public static Shape broadcast(String op, Shape a, Shape b) {
        if (a.equals(b)) {
            return a;
        }
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.rank() ? 1 : a.dims[i - (r - a.rank())];
            int db = i < r - b.rank() ? 1 : b.dims[i - (r - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + a + " and " + b
                        + " cannot be broadcast (dimension " + i + " of the aligned shapes: "
                        + da + " vs " + db + "); reshape one of them so that sizes match or are 1");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /**
     * Strides that read this shape as if it were broadcast to {@code target}: 0 along broadcast
     * dimensions.
     */
    public int[] broadcastStrides(Shape target) {
        int r = target.rank();
        int[] own = strides();
        int[] s = new int[r];
        int off = r - dims.length;
        for (int i = 0; i < r; i++) {
            if (i < off) {
                s[i] = 0;
            } else {
                s[i] = dims[i - off] == 1 && target.dims[i] != 1 ? 0 : own[i - off];
            }
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
