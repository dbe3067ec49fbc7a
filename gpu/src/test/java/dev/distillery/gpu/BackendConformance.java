package dev.distillery.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.BinaryKernel;
import dev.distillery.autograd.backend.ConvGeometry;
import dev.distillery.autograd.backend.ElementwisePlan;
import dev.distillery.autograd.backend.MatmulPlan;
import dev.distillery.autograd.backend.PoolGeometry;
import dev.distillery.autograd.backend.RandomKind;
import dev.distillery.autograd.backend.ReduceKernel;
import dev.distillery.autograd.backend.ReducePlan;
import dev.distillery.autograd.backend.Storage;
import dev.distillery.autograd.backend.StridedView;
import dev.distillery.autograd.backend.UnaryKernel;
import dev.distillery.autograd.cpu.ScalarBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The backend conformance suite: every kernel of {@link Backend} on random inputs, run on a
 * candidate backend and on {@link ScalarBackend} (the oracle), compared with tolerances from error
 * analysis (see {@link Tolerance}). Written against the interface only, so any backend reuses it
 * by subclassing and supplying {@link #candidate()}; a subclass may skip itself in a
 * {@code @BeforeAll}/{@code @BeforeEach} with an assumption that names the reason.
 *
 * <p>Kernels whose GPU formulation is a gather in the oracle's order (copy, indexSelect/indexAdd,
 * im2col/col2im, where, max) and the uniform random stream must match bit for bit.
 */
abstract class BackendConformance {
    static final long SEED = 0x5EEDL;
    final Backend oracle = new ScalarBackend();
    final SplittableRandom rng = new SplittableRandom(SEED);

    /** The backend under test. */
    abstract Backend candidate();

    double[] values(int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return v;
    }

    /** Uploads the same values to both backends (rounded to dtype once, identically). */
    Storage[] both(DType t, double[] v) {
        return new Storage[] {candidate().upload(t, v), oracle.upload(t, v)};
    }

    Storage[] zeros(DType t, int n) {
        return new Storage[] {candidate().allocate(t, n), oracle.allocate(t, n)};
    }

    /** Downloads both results and checks |candidate - oracle| <= tol(i, oracle value). */
    void compare(String what, Storage[] out, Tolerance tol) {
        double[] c = candidate().download(out[0]);
        double[] o = oracle.download(out[1]);
        if (c.length != o.length) {
            fail(what + ": " + c.length + " elements vs the oracle's " + o.length);
        }
        for (int i = 0; i < c.length; i++) {
            double allowed = tol.at(i, o[i]);
            boolean same = Double.compare(c[i], o[i]) == 0 || (Double.isNaN(c[i]) && Double.isNaN(o[i]));
            if (!same && !(Math.abs(c[i] - o[i]) <= allowed)) {
                fail(what + ": element " + i + " is " + c[i] + ", oracle " + o[i] + " (difference "
                        + Math.abs(c[i] - o[i]) + " > allowed " + allowed + "); replay with seed " + SEED);
            }
        }
    }

    /** Allowed absolute difference at element i given the oracle's value there. */
    interface Tolerance {
        double at(int i, double oracleValue);

        Tolerance EXACT = (i, o) -> 0.0;

        /** k units in the last place of the oracle's F32 value (normal range floor). */
        static Tolerance ulps32(double k) {
            return (i, o) -> k * Math.ulp((float) Math.max(Math.abs(o), Float.MIN_NORMAL));
        }
    }

    /**
     * Ulps allowed for an F32 unary function: CUDA's documented maximum error of the float function
     * (expf, sinf, cosf, tanhf, erff 2 ulp; logf, log1pf 1 ulp) plus the oracle's own rounding
     * (0.5 ulp), rounded up; composites (sigmoid, softplus) add an operation's rounding per step.
     * Kernels computed in double and rounded once, like the oracle, are within 1 ulp.
     */
    static double unaryUlps(UnaryKernel f) {
        return switch (f) {
            case EXP, LOG, SIN, COS, TANH, ERF -> 3;
            case SIGMOID, SOFTPLUS -> 5;
            case SILU, SILU_GRAD -> 2;   // computed in double and rounded once; F64 inherits exp's error
            case RSQRT -> 2;
            default -> 1;
        };
    }

    /** Inputs inside each function's domain (positive for log and roots). */
    double[] unaryInputs(UnaryKernel f, int n) {
        return switch (f) {
            case LOG, SQRT, RSQRT, POW_SCALAR -> values(n, 0.01, 5);
            case EXP -> values(n, -20, 20);
            case SIGMOID, SOFTPLUS, SILU, SILU_GRAD -> values(n, -30, 30);
            default -> values(n, -4, 4);
        };
    }

    @ParameterizedTest
    @EnumSource(UnaryKernel.class)
    void unaryMatchesOracleWithinUlps(UnaryKernel f) {
        for (DType t : DType.values()) {
            double p = f == UnaryKernel.POW_SCALAR ? 1.0 / 3 : f == UnaryKernel.STEP ? 0.25 : 0.7;
            double[] xs = unaryInputs(f, 1000);
            Storage[] in = both(t, xs);
            Storage[] out = zeros(t, 1000);
            candidate().unary(f, p, in[0], out[0]);
            oracle.unary(f, p, in[1], out[1]);
            double k = unaryUlps(f);
            Tolerance tol = t == DType.F32 ? Tolerance.ulps32(k)
                    : (i, o) -> 4 * k * Math.ulp(Math.max(Math.abs(o), Double.MIN_NORMAL));
            if (f == UnaryKernel.SILU_GRAD && t == DType.F64) {
                // near its root (x = -1.28) no relative bound holds: ulps of the terms' size instead
                tol = (i, o) -> {
                    double s = UnaryKernel.SIGMOID.apply(xs[i], 0);
                    return 4 * k * Math.ulp(s * (1 + Math.abs(xs[i]) * (1 - s)));
                };
            }
            compare(f + " " + t, out, tol);
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryKernel.class)
    void binaryWithBroadcastMatchesOracle(BinaryKernel f) {
        for (DType t : DType.values()) {
            // [3, 4, 5] op [4, 1]: b broadcast over the first and last axes
            ElementwisePlan plan = ElementwisePlan.of(new int[] {3, 4, 5}, new int[] {20, 5, 1}, new int[] {0, 1, 0});
            double lo = f == BinaryKernel.POW ? 0.1 : -3;
            double[] av = values(60, lo, 3), bv = values(4, -3, 3);
            if (f == BinaryKernel.EQ || f == BinaryKernel.GE) {
                av[7] = bv[1];  // a tie, so equality is exercised
            }
            Storage[] a = both(t, av), b = both(t, bv), out = zeros(t, 60);
            candidate().binary(f, a[0], b[0], out[0], plan);
            oracle.binary(f, a[1], b[1], out[1], plan);
            compare(f + " " + t, out, f == BinaryKernel.POW ? Tolerance.ulps32(1) : Tolerance.EXACT);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void whereSelectsExactly(DType t) {
        ElementwisePlan plan = ElementwisePlan.of(new int[] {6, 7}, new int[] {7, 1}, new int[] {7, 1}, new int[] {0, 1});
        double[] cv = values(42, -1, 1);
        for (int i = 0; i < cv.length; i += 3) {
            cv[i] = 0;
        }
        Storage[] c = both(t, cv), a = both(t, values(42, -5, 5)), b = both(t, values(7, -5, 5)), out = zeros(t, 42);
        candidate().where(c[0], a[0], b[0], out[0], plan);
        oracle.where(c[1], a[1], b[1], out[1], plan);
        compare("where " + t, out, Tolerance.EXACT);
    }

    @ParameterizedTest
    @EnumSource(ReduceKernel.class)
    void reduceMatchesOracle(ReduceKernel kind) {
        // small inner (thread per output), large inner (block per output), non-contiguous axes
        int[][] shapes = {{50, 3, 7}, {4, 3000}, {6, 500, 5}};
        boolean[][] axes = {{false, true, false}, {false, true}, {true, false, true}};
        for (DType t : DType.values()) {
            for (int s = 0; s < shapes.length; s++) {
                ReducePlan plan = ReducePlan.of(shapes[s], axes[s]);
                int n = plan.outer() * plan.inner();
                double[] v = values(n, -2, 2);
                Storage[] in = both(t, v), out = zeros(t, plan.outer());
                candidate().reduce(kind, in[0], out[0], plan);
                oracle.reduce(kind, in[1], out[1], plan);
                double absSum = 0;
                for (double x : v) {
                    absSum += Math.abs(x);
                }
                // both accumulate in double (different orders: 2 n 2^-53 sum|x|), F32 rounds once more
                double orderErr = kind == ReduceKernel.SUM ? 2.0 * plan.inner() * 0x1p-53 * absSum : 0;
                compare(kind + " " + t + " shape " + s, out, t == DType.F32
                        ? (i, o) -> Math.ulp((float) o) + orderErr : (i, o) -> orderErr);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void copyPermutesAndAccumulatesBroadcastsExactly(DType t) {
        // permute [2,3,4] -> [4,2,3]
        StridedView from = new StridedView(0, new int[] {4, 2, 3}, new int[] {1, 12, 4});
        StridedView to = StridedView.contiguous(new int[] {4, 2, 3});
        Storage[] src = both(t, values(24, -1, 1)), dst = both(t, values(24, -1, 1));
        candidate().copy(src[0], from, dst[0], to, false);
        oracle.copy(src[1], from, dst[1], to, false);
        compare("permute " + t, dst, Tolerance.EXACT);
        // sum over a broadcast axis: [5, 3, 4] accumulated into [3, 1-strided] (stride 0 twice)
        StridedView all = StridedView.contiguous(new int[] {5, 3, 4});
        StridedView folded = new StridedView(2, new int[] {5, 3, 4}, new int[] {0, 1, 0});
        Storage[] s2 = both(t, values(60, -1, 1)), d2 = both(t, values(8, -1, 1));
        candidate().copy(s2[0], all, d2[0], folded, true);
        oracle.copy(s2[1], all, d2[1], folded, true);
        compare("accumulate broadcast " + t, d2, Tolerance.EXACT);
        // overlapping destination (stride 1 with window 3): the sequential fallback
        StridedView overlap = new StridedView(0, new int[] {4, 3}, new int[] {1, 1});
        Storage[] s3 = both(t, values(12, -1, 1)), d3 = both(t, values(6, -1, 1));
        candidate().copy(s3[0], StridedView.contiguous(new int[] {4, 3}), d3[0], overlap, true);
        oracle.copy(s3[1], StridedView.contiguous(new int[] {4, 3}), d3[1], overlap, true);
        compare("accumulate overlapping " + t, d3, Tolerance.EXACT);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void indexSelectAndIndexAddExactWithRepeats(DType t) {
        int outer = 3, axisLen = 5, inner = 4;
        int[] index = {4, 0, 4, 2, 4, 0};
        Storage[] src = both(t, values(outer * axisLen * inner, -1, 1)), out = zeros(t, outer * index.length * inner);
        candidate().indexSelect(src[0], outer, axisLen, inner, index, out[0]);
        oracle.indexSelect(src[1], outer, axisLen, inner, index, out[1]);
        compare("indexSelect " + t, out, Tolerance.EXACT);
        Storage[] g = both(t, values(outer * index.length * inner, -1, 1)), dst = both(t, values(outer * axisLen * inner, -1, 1));
        candidate().indexAdd(g[0], outer, axisLen, inner, index, dst[0]);
        oracle.indexAdd(g[1], outer, axisLen, inner, index, dst[1]);
        compare("indexAdd " + t, dst, Tolerance.EXACT);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maxPoolIndicesGatherAndScatterExactWithTies(DType t) {
        // small integers tie often; dilation, rectangular padding and ceil mode
        PoolGeometry g = new PoolGeometry(3, 7, 6, 3, 2, 2, 1, 1, 1, 2, 1, true);
        double[] x = values(3 * 7 * 6, -1, 1);
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.floor(x[i] * 2);
        }
        x[5] = Double.NaN;
        Storage[] in = both(t, x), idx = zeros(t, g.planes() * g.windows());
        candidate().maxPool2dIndices(in[0], idx[0], g);
        oracle.maxPool2dIndices(in[1], idx[1], g);
        compare("maxPool2dIndices " + t, idx, Tolerance.EXACT);
        Storage[] out = zeros(t, g.planes() * g.windows());
        candidate().gatherPlanes(in[0], idx[0], out[0], g.planes(), g.planeSize());
        oracle.gatherPlanes(in[1], idx[1], out[1], g.planes(), g.planeSize());
        compare("gatherPlanes " + t, out, Tolerance.EXACT);
        Storage[] upd = both(t, values(g.planes() * g.windows(), -1, 1)), dst = both(t, values(x.length, -1, 1));
        candidate().scatterAddPlanes(upd[0], idx[0], dst[0], g.planes(), g.planeSize());
        oracle.scatterAddPlanes(upd[1], idx[1], dst[1], g.planes(), g.planeSize());
        compare("scatterAddPlanes " + t, dst, Tolerance.EXACT);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulAllTransposesWithinGammaK(DType t) {
        int m = 70, n = 65, k = 37;  // edge tiles in every direction
        for (int tr = 0; tr < 4; tr++) {
            boolean ta = (tr & 1) != 0, tb = (tr & 2) != 0;
            int batch = 3;
            // A batches broadcast (offsets 0, 0, m k): exercises the offset table
            MatmulPlan plan = new MatmulPlan(batch, m, n, k, ta, tb, new int[] {0, 0, m * k}, new int[] {0, k * n, 2 * k * n});
            double[] av = values(2 * m * k, -1, 1), bv = values(3 * k * n, -1, 1);
            Storage[] a = both(t, av), b = both(t, bv), c = zeros(t, batch * m * n);
            candidate().matmul(a[0], b[0], c[0], plan);
            oracle.matmul(a[1], b[1], c[1], plan);
            double u = t == DType.F32 ? 0x1p-24 : 0x1p-53;
            // |a|,|b| <= 1, so sum_l |a b| <= k; gamma_k bound plus the oracle's final rounding
            double bound = 1.01 * k * u * k;
            compare("matmul trans " + ta + "/" + tb + " " + t, c,
                    (i, o) -> bound + (t == DType.F32 ? Math.ulp((float) o) : Math.ulp(o)));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void im2colAndCol2imExact(DType t) {
        ConvGeometry g = new ConvGeometry(2, 3, 7, 6, 3, 2, 2, 1, 1);
        int inN = 2 * 3 * 7 * 6, colN = g.batch() * g.colRows() * g.colCols();
        Storage[] in = both(t, values(inN, -1, 1)), cols = zeros(t, colN);
        candidate().im2col(in[0], cols[0], g);
        oracle.im2col(in[1], cols[1], g);
        compare("im2col " + t, cols, Tolerance.EXACT);
        ConvGeometry overlapping = new ConvGeometry(2, 2, 6, 5, 3, 3, 1, 1, 1);
        Storage[] c2 = both(t, values(overlapping.batch() * overlapping.colRows() * overlapping.colCols(), -1, 1));
        Storage[] out = both(t, values(2 * 2 * 6 * 5, -1, 1));  // garbage that col2im must overwrite
        candidate().col2im(c2[0], out[0], overlapping);
        oracle.col2im(c2[1], out[1], overlapping);
        compare("col2im " + t, out, Tolerance.EXACT);
    }

    @ParameterizedTest
    @EnumSource(RandomKind.class)
    void randomReproducesPhiloxStream(RandomKind kind) {
        for (DType t : DType.values()) {
            Storage[] out = zeros(t, 4099);
            long key = 0x0123_4567_89AB_CDEFL, offset = (1L << 32) - 7;  // counter carries into the high word
            candidate().random(kind, key, offset, out[0]);
            oracle.random(kind, key, offset, out[1]);
            // uniforms are integer arithmetic and exact scalings; Box-Muller's log and cos may differ
            // by an ulp or two of double between libraries, visible only near zeros of cos
            Tolerance tol = kind == RandomKind.UNIFORM ? Tolerance.EXACT
                    : t == DType.F32 ? (i, o) -> Math.ulp((float) o) + 1e-13 : (i, o) -> 8 * Math.ulp(o) + 1e-13;
            compare(kind + " " + t, out, tol);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void transfersFillCastGetSetRoundTrip(DType t) {
        double[] v = values(300, -1e3, 1e3);
        Storage[] s = both(t, v);
        compare("upload/download " + t, s, Tolerance.EXACT);
        candidate().set(s[0], 17, 3.25);
        oracle.set(s[1], 17, 3.25);
        compare("set " + t, s, Tolerance.EXACT);
        assertArrayEquals(new double[] {oracle.get(s[1], 17)}, new double[] {candidate().get(s[0], 17)});
        DType other = t == DType.F32 ? DType.F64 : DType.F32;
        Storage[] c = zeros(other, 300);
        candidate().cast(s[0], c[0]);
        oracle.cast(s[1], c[1]);
        compare("cast " + t + "->" + other, c, Tolerance.EXACT);
        candidate().fill(s[0], Math.PI);
        oracle.fill(s[1], Math.PI);
        compare("fill " + t, s, Tolerance.EXACT);
        Storage z = candidate().allocate(t, 1000);
        for (double x : candidate().download(z)) {
            if (x != 0.0) {
                fail("allocate must zero-fill, found " + x);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void repeatedRunsAreBitIdentical(DType t) {
        Backend b = candidate();
        ReducePlan plan = ReducePlan.of(new int[] {3, 5000}, new boolean[] {false, true});
        Storage in = b.upload(t, values(15000, -1, 1));
        MatmulPlan mp = MatmulPlan.single(40, 50, 300, false, true);
        Storage a = b.upload(t, values(40 * 300, -1, 1)), w = b.upload(t, values(50 * 300, -1, 1));
        double[] first = null;
        for (int run = 0; run < 3; run++) {
            Storage r = b.allocate(t, 3), c = b.allocate(t, 2000);
            b.reduce(ReduceKernel.SUM, in, r, plan);
            b.matmul(a, w, c, mp);
            double[] now = concat(b.download(r), b.download(c));
            if (first == null) {
                first = now;
            } else {
                assertArrayEquals(first, now, 0.0, "run " + run + " differs from run 0");
            }
        }
    }

    private static double[] concat(double[] x, double[] y) {
        double[] z = java.util.Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, z, x.length, y.length);
        return z;
    }
}
