package dev.distillery.autograd;

/**
 * Element type of a tensor. Only the two IEEE-754 binary formats are computed with; F16 and BF16
 * appear only when reading safetensors files, where they are widened on load.
 */
public enum DType {
    /** IEEE-754 binary32. */
    F32(4),
    /** IEEE-754 binary64: the precision of gradchecks and of every identity test. */
    F64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Rounds a double to this type's precision, as a store to a tensor of this type would. */
    public double round(double x) {
        return this == F32 ? (double) (float) x : x;
    }

    /** Machine epsilon (unit roundoff times two): 2^-23 for F32, 2^-52 for F64. */
    public double epsilon() {
        return this == F32 ? 0x1p-23 : 0x1p-52;
    }
}
