package dev.distillery.autograd;

/**
 * Normalisation layers as compositions of reductions and elementwise ops:
 * {@code y = (x - mean) / sqrt(var + eps) * weight + bias}, with the biased (population)
 * variance, as PyTorch's LayerNorm and GroupNorm.
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

    /** Splits the channels of {@code [B, C, ...]} into groups and normalises each group of each sample. */
    static Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, double eps) {
        if (x.rank() < 2 || groups < 1 || x.dim(1) % groups != 0) {
            throw new IllegalArgumentException("groupNorm: " + groups + " groups do not divide the channels of "
                    + x.shape() + " (expected [B, C, ...] with C divisible by groups)");
        }
        int c = x.dim(1);
        Tensor grouped = ShapeOps.reshape(x, x.dim(0), groups, -1);
        Tensor y = ShapeOps.reshape(standardise(grouped, new int[] {2}, eps), x.shape().dims());
        int[] perChannel = new int[x.rank()];
        java.util.Arrays.fill(perChannel, 1);
        perChannel[1] = c;
        Tensor w = weight == null ? null : checkedReshape(weight, c, perChannel, "groupNorm weight");
        Tensor b = bias == null ? null : checkedReshape(bias, c, perChannel, "groupNorm bias");
        if (w != null) {
            y = ElementwiseOps.mul(y, w);
        }
        return b == null ? y : ElementwiseOps.add(y, b);
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

    private static Tensor checkedReshape(Tensor t, int c, int[] dims, String what) {
        if (t.numel() != c) {
            throw new IllegalArgumentException(what + " must have " + c + " elements, got shape " + t.shape());
        }
        return ShapeOps.reshape(t, dims);
    }
}
