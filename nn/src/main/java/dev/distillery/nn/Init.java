package dev.distillery.nn;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;

/**
 * Where layers draw their initial values: a dtype and a stream of Philox keys, one key per drawn
 * tensor in construction order, so a model built twice from the same seed has equal values.
 *
 * <p>The draws follow PyTorch's defaults: {@code kaiming_uniform_(a = sqrt 5)} for Linear and
 * Conv weights gives bound {@code gain sqrt(3 / fan_in)} with {@code gain = sqrt(2 / (1 + 5))},
 * i.e. {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}; biases use the same bound; embeddings are
 * {@code N(0, 1)}. The numbers differ from PyTorch's (different generator), the distributions do
 * not.
 */
public final class Init {
    private final DType dtype;
    private final RngKey key;
    private long next;

    private Init(DType dtype, RngKey key) {
        this.dtype = dtype;
        this.key = key;
    }

    /** Draws for a model of {@code dtype} from the key of {@code seed}. */
    public static Init of(DType dtype, long seed) {
        return new Init(dtype, RngKey.of(seed));
    }

    public DType dtype() {
        return dtype;
    }

    /** A fresh key, {@code key.fold(n)} for the n-th request. */
    public RngKey nextKey() {
        return key.fold(next++);
    }

    /** {@code U(-bound, bound)}: {@code (2u - 1) bound} with u uniform on (0, 1). */
    public Tensor uniform(double bound, int... dims) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            return Tensor.rand(dtype, nextKey().value(), 0, dims).mul(2.0).sub(1.0).mul(bound);
        }
    }

    /** {@code N(0, std^2)}. */
    public Tensor normal(double std, int... dims) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            return Tensor.randn(dtype, nextKey().value(), 0, dims).mul(std);
        }
    }

    public Tensor zeros(int... dims) {
        return Tensor.zeros(dtype, dims);
    }

    public Tensor ones(int... dims) {
        return Tensor.ones(dtype, dims);
    }

    /** PyTorch's Linear/Conv bound {@code 1 / sqrt(fan_in)}. */
    public static double fanInBound(int fanIn) {
        return 1.0 / Math.sqrt(fanIn);
    }

    /** Sets every parameter of {@code m} to zero (zero-initialised output layers); returns m. */
    public static <M extends Module> M zeroParameters(M m) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (Tensor p : m.parameters()) {
                p.assign(p.zerosLike());
            }
        }
        return m;
    }
}
