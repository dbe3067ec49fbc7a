// GENERATED from SimdKernelsF64.java by GenerateF32Kernels — do not edit.
// Regenerate: java --add-modules=jdk.incubator.vector -cp autograd/target/test-classes:autograd/target/classes dev.distillery.autograd.simd.GenerateF32Kernels
package dev.distillery.autograd.simd;

import dev.distillery.autograd.backend.ConvGeometry;

import dev.distillery.autograd.backend.BinaryKernel;
import dev.distillery.autograd.backend.ElementwisePlan;
import dev.distillery.autograd.backend.MatmulPlan;
import dev.distillery.autograd.backend.ReduceKernel;
import dev.distillery.autograd.backend.UnaryKernel;
import java.math.BigDecimal;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The F32 compute kernels of {@link SimdBackend}, written once by hand; {@code SimdKernelsF32} is
 * generated from this file by {@code GenerateF32Kernels} (test sources), so the two precisions
 * never drift apart. Each method works on a range of plain arrays and is sequential: the backend
 * splits work into fixed tasks and calls these from its pool.
 *
 * <p>Rules that keep results bit-identical for any thread count and any JIT tier:
 * <ul>
 *   <li>every element of an elementwise kernel goes through the same code, whatever its
 *       position: ragged ends are staged through a lane-sized scratch array, never a scalar
 *       twin; the exception are kernels whose every operation is IEEE-exact (+ - * /, min/max,
 *       compares, selection), where a scalar loop gives the same bits as the vector one;</li>
 *   <li>only IEEE-exact vector operations are used (+, -, *, /, sqrt, fma, min/max, compares,
 *       integer bit operations), whose interpreter fallbacks and compiled intrinsics agree bit
 *       for bit. The Vector API's transcendental operators (SVML when compiled, {@code Math} in
 *       the fallback) are not: their bits could change when a method gets compiled mid-run;</li>
 *   <li>exp is a hand-written Cody-Waite reduction and Taylor polynomial (below); sigmoid uses
 *       it; the other transcendentals call the oracle's own scalar definition
 *       ({@link UnaryKernel#apply}), so they match the oracle exactly;</li>
 *   <li>cross-lane sums are spilled to an array and added in lane order
 *       ({@code reduceLanes(ADD)} leaves the order unspecified).</li>
 * </ul>
 *
 * <p>Conventions for the generator: every floating literal is written with a dot or an exponent;
 * constants that differ by precision are marked {@code PRECISION} and listed in the generator;
 * a type followed by the marker comment {@code keep} is not narrowed in the generated twin
 * (kernel parameters are passed at full width, as the oracle sees them).
 */
final class SimdKernelsF32 {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    static final int L = S.length();

    private SimdKernelsF32() {
    }

    // ---------------------------------------------------------------------------------------
    // exp: x = k ln2 + r with k = rint(x / ln2), |r| <= ln2/2 (ln2 split in two for an exact
    // reduction with fma); exp(r) by its Taylor polynomial of degree EXP_DEGREE in Horner form,
    // truncation error r^(d+1)/(d+1)! < eps/2; then times 2^k applied as 2^(k/2) 2^(k - k/2), so
    // results that overflow or fall into subnormals are reached without exponent wrap-around.
    // Error <= 2 ulp for normal results (Horner adds about one rounding per step on terms below
    // 1/2 the leading one); checked against the oracle in SimdConformanceTest.

    private static final BigDecimal LN2 = new BigDecimal("0.6931471805599453094172321214581765680755");
    private static final float LN2_HI = LN2.floatValue();
    private static final float LN2_LO = LN2.subtract(new BigDecimal(LN2_HI)).floatValue();
    private static final float LOG2E = (float) (1.0f / Math.log(2.0f));
    private static final float EXP_MIN_ARG = (float) (Math.log(Float.MIN_VALUE) - 1.0f);
    private static final float EXP_MAX_ARG = (float) (Math.log(Float.MAX_VALUE) + 1.0f);
    private static final int EXP_DEGREE = Math.ulp((float) 1.0f) > 0x1p-30f ? 7 : 13;
    private static final float[] EXP_COEF = expCoefficients();
    private static final float EXP_SHIFTER = 0x1.8p23f; // PRECISION: 1.5 * 2^(mantissa bits)
    private static final int MANTISSA_BITS = 23; // PRECISION
    private static final int EXPONENT_BIAS = 127; // PRECISION
    private static final int EXP_SHIFTER_BITS = Float.floatToRawIntBits(EXP_SHIFTER); // PRECISION

    private static float[] expCoefficients() {
        float[] c = new float[EXP_DEGREE + 1];
        float fact = 1.0f;
        for (int j = 0; j <= EXP_DEGREE; j++) {
            fact = j == 0 ? 1.0f : fact * j;
            c[j] = (float) (1.0f / fact);
        }
        return c;
    }

    /**
     * {@code y[yo + j] = e^(x[xo + j])} for j in [0, n), n a multiple of L (y may be x), within
     * 2 ulp; NaN stays NaN, overflow gives +inf, underflow 0.
     */
    private static void expInto(float[] x, int xo, float[] y, int yo, int n) {
        for (int j = 0; j < n; j += L) {
            FloatVector xc = FloatVector.fromArray(S, x, xo + j).max(EXP_MIN_ARG).min(EXP_MAX_ARG);
            FloatVector t = xc.fma(LOG2E, EXP_SHIFTER);
            FloatVector k = t.sub(EXP_SHIFTER);
            FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_HI), xc);
            r = k.fma(FloatVector.broadcast(S, -LN2_LO), r);
            // the loop-carried p is never the receiver: C2 loses the exact vector class of a loop
            // phi and then cannot intrinsify a call on it (every step boxed, ~30 ns per element in
            // W3); r p + c and p r + c are the same fma, and s1 p = p s1 (products commute exactly)
            FloatVector p = FloatVector.broadcast(S, EXP_COEF[EXP_DEGREE]);
            for (int d = EXP_DEGREE - 1; d >= 0; d--) {
                p = r.fma(p, FloatVector.broadcast(S, EXP_COEF[d]));
            }
            IntVector ki = t.reinterpretAsInts().sub(EXP_SHIFTER_BITS);
            IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
            IntVector k2 = ki.sub(k1);
            FloatVector s1 = k1.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, MANTISSA_BITS).reinterpretAsFloats();
            FloatVector s2 = k2.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, MANTISSA_BITS).reinterpretAsFloats();
            s1.mul(p).mul(s2).intoArray(y, yo + j);
        }
    }

    /**
     * One pass of the exp family over a block of n elements at b: x and grad read at b, the
     * scratch e from 0, y written at b (grad null where the kind has none).
     */
    @FunctionalInterface
    private interface BlockPass {
        void run(float[] x, float[] grad, float[] e, float[] y, int b, int n);
    }

    // Each pass is its own class, and the block loop calls them at one call site: with several
    // receiver classes the site is megamorphic, so C2 does not inline the passes into the loop
    // (or into its callers) and compiles each one alone, with a node budget of its own. Inlined
    // together, the passes came near C2's budget and in some compilations a pass's store was left
    // to the Vector API's Java fallback (PrintInlining: "VectorSupport::store ... failed to inline
    // (intrinsic)"; the fallback and the frames around it 2-8 % of W2's late samples at batch
    // 4096 in three of four profiled runs; none in six after this change, docs/BENCHMARKS.md,
    // round 12). A vector never crosses these calls: the passes share arrays.
    private static final BlockPass NEG_ABS = (x, g, e, y, b, n) -> negAbsInto(x, b, e, n);
    private static final BlockPass EXP_OF_E = (x, g, e, y, b, n) -> expInto(e, 0, e, 0, n);
    private static final BlockPass SIGMOID_TO_E = (x, g, e, y, b, n) -> sigmoidInto(x, b, e, e, 0, n);
    private static final BlockPass SIGMOID_TO_Y = (x, g, e, y, b, n) -> sigmoidInto(x, b, e, y, b, n);
    private static final BlockPass X_TIMES_E = (x, g, e, y, b, n) -> productInto(x, b, e, y, n);
    private static final BlockPass SILU_GRAD_OF_E = (x, g, e, y, b, n) -> siluGradInto(x, b, e, y, b, n);
    private static final BlockPass GRAD_TIMES_SILU_GRAD = (x, g, e, y, b, n) -> siluGradTimesInto(x, g, b, e, y, n);

    /** The passes of each kind: e = e^-|x|, then the sigmoid family from x and e. */
    private static final BlockPass[] SIGMOID_PASSES = {NEG_ABS, EXP_OF_E, SIGMOID_TO_Y};
    private static final BlockPass[] SILU_PASSES = {NEG_ABS, EXP_OF_E, SIGMOID_TO_E, X_TIMES_E};
    private static final BlockPass[] SILU_GRAD_PASSES = {NEG_ABS, EXP_OF_E, SIGMOID_TO_E, SILU_GRAD_OF_E};
    private static final BlockPass[] SILU_BACKWARD_PASSES = {NEG_ABS, EXP_OF_E, SIGMOID_TO_E, GRAD_TIMES_SILU_GRAD};

    /** Elements per block of the exp-based kinds (a multiple of L): the passes over a block run in L1. */
    private static final int EXP_BLOCK = 512;
    private static final ThreadLocal<float[]> EXP_SCRATCH = ThreadLocal.withInitial(() -> new float[EXP_BLOCK]);

    /**
     * EXP, SIGMOID, SILU and SILU_GRAD over whole vectors in [from, to): e^x in one pass, the others
     * a block at a time ({@link #blocks}), as the oracle writes them: {@code e = e^-|x|}, then
     * {@code s = e/(1+e)} for x < 0 else {@code 1/(1+e)}; {@code silu = x s};
     * {@code silu' = (1 + x (1 - s)) s}.
     *
     * <p>Why short passes and not one expression per vector: every loop here is made of vector
     * operations on values loaded in that loop, and calls no method of this class with a vector.
     * A vector that crosses a call C2 did not inline is boxed (several times slower, and
     * garbage), and whether C2 inlines a helper depends on what was compiled before: W2 lost the
     * inlining of a per-vector exp helper when the optimizer's kernels changed, and its forward
     * pass ran 2x slower. With sigmoid and the product in one expression, C2 knew the class of
     * the product only from the profile and boxed it for the store (PrintInlining: "failed to
     * inline (intrinsic)"). The extra passes run over a block in L1.
     */
    private static void expFamily(UnaryKernel f, float[] x, float[] y, int from, int to) {
        if (f == UnaryKernel.EXP) {
            expInto(x, from, y, from, to - from);
            return;
        }
        BlockPass[] passes = f == UnaryKernel.SIGMOID ? SIGMOID_PASSES
                : f == UnaryKernel.SILU ? SILU_PASSES : SILU_GRAD_PASSES;
        blocks(passes, x, null, y, from, to);
    }

    /**
     * {@code y = grad silu'(x)} over whole vectors in [from, to): SILU_GRAD's passes, the last of
     * them with the product by the gradient (the derivative rounded before it, as the composed
     * backward does: the same bits). The product in the derivative's pass instead of a pass of
     * its own made the W2 step at batch 512 0.954x as long in paired runs (p = 0.013;
     * docs/BENCHMARKS.md, round 11).
     */
    private static void siluBackwardBlocks(float[] x, float[] grad, float[] y, int from, int to) {
        blocks(SILU_BACKWARD_PASSES, x, grad, y, from, to);
    }

    /** Runs {@code passes} in order over each block of EXP_BLOCK elements of [from, to). */
    private static void blocks(BlockPass[] passes, float[] x, float[] grad, float[] y, int from, int to) {
        float[] e = EXP_SCRATCH.get();
        for (int b = from; b < to; b += EXP_BLOCK) {
            int n = Math.min(EXP_BLOCK, to - b);
            for (BlockPass pass : passes) {
                pass.run(x, grad, e, y, b, n);
            }
        }
    }

    // The passes of expFamily, one loop each. The receiver of every vector operation is a vector
    // loaded or made in the same loop body, never another operation's result: with chains
    // (x.mul(..).add(..).mul(..)) C2 knew the class of an intermediate only from the profile in
    // some compilations and boxed every vector after it. Products and sums commute exactly, so
    // the values are the oracle's grouping.

    /** {@code e[j] = -|x[xo + j]|}, j < n. */
    private static void negAbsInto(float[] x, int xo, float[] e, int n) {
        for (int j = 0; j < n; j += L) {
            FloatVector.fromArray(S, x, xo + j).abs().neg().intoArray(e, j);
        }
    }

    /** {@code s = num / (1 + e)} with num = 1 for x >= 0, else e (e = e^-|x|), to {@code s[so + j]}. */
    private static void sigmoidInto(float[] x, int xo, float[] e, float[] s, int so, int n) {
        for (int j = 0; j < n; j += L) {
            FloatVector ev = FloatVector.fromArray(S, e, j);
            FloatVector one = FloatVector.broadcast(S, 1.0f);
            FloatVector num = ev.blend(one, FloatVector.fromArray(S, x, xo + j).compare(VectorOperators.GE, 0.0f));
            num.div(one.add(ev)).intoArray(s, so + j);
        }
    }

    /** {@code d[dOff + j] = (1 + x (1 - s)) s}, s = {@code sig[j]} (d may be sig). */
    private static void siluGradInto(float[] x, int xo, float[] sig, float[] d, int dOff, int n) {
        for (int j = 0; j < n; j += L) {
            FloatVector sg = FloatVector.fromArray(S, sig, j);
            FloatVector one = FloatVector.broadcast(S, 1.0f);
            sg.mul(one.add(FloatVector.fromArray(S, x, xo + j).mul(one.sub(sg)))).intoArray(d, dOff + j);
        }
    }

    /**
     * {@code y[yo + j] = grad[yo + j] d} with {@code d = (1 + x (1 - s)) s} rounded first, s =
     * {@code sig[j]}: {@link #siluGradInto} and {@link #productInto} in one pass, the same
     * roundings (d is rounded to the format before the product either way).
     */
    private static void siluGradTimesInto(float[] x, float[] grad, int yo, float[] sig, float[] y, int n) {
        for (int j = 0; j < n; j += L) {
            FloatVector sg = FloatVector.fromArray(S, sig, j);
            FloatVector one = FloatVector.broadcast(S, 1.0f);
            FloatVector d = sg.mul(one.add(FloatVector.fromArray(S, x, yo + j).mul(one.sub(sg))));
            FloatVector.fromArray(S, grad, yo + j).mul(d).intoArray(y, yo + j);
        }
    }

    /** {@code y[yo + j] = a[yo + j] t[j]}. */
    private static void productInto(float[] a, int yo, float[] t, float[] y, int n) {
        for (int j = 0; j < n; j += L) {
            FloatVector.fromArray(S, a, yo + j).mul(FloatVector.fromArray(S, t, j)).intoArray(y, yo + j);
        }
    }

    // ---------------------------------------------------------------------------------------
    // unary

    /** True when {@code f} is computed lane-wise here; the others call {@link UnaryKernel#apply}. */
    static boolean vectorUnary(UnaryKernel f, double/*keep*/ p) {
        switch (f) {
            case LOG: case SIN: case COS: case TANH: case SOFTPLUS: case ERF:
                return false;
            case POW_SCALAR:
                return p == 2.0f;
            default:
                return true;
        }
    }

    /** {@code y[i] = f(x[i]; p)} for i in [from, to). */
    static void unary(UnaryKernel f, double/*keep*/ param, float[] x, float[] y, int from, int to) {
        if (!vectorUnary(f, param)) {
            for (int i = from; i < to; i++) {
                y[i] = (float) f.apply(x[i], param);
            }
            return;
        }
        float p = (float) param;
        if (f == UnaryKernel.STEP && p > param) {
            // x > param  <=>  x > (param rounded down to this format), for x of this format
            p = Math.nextDown(p);
        }
        int whole = from + (to - from) / L * L;
        vectorLoop(f, x, y, from, whole, p);
        if (whole < to) {
            // the ragged end through the same loop, on a zero-padded copy
            float[] t = new float[L];
            System.arraycopy(x, whole, t, 0, to - whole);
            vectorLoop(f, t, t, 0, L, p);
            System.arraycopy(t, 0, y, whole, to - whole);
        }
    }

    /**
     * {@code y[i] = grad[i] silu'(x[i])} for i in [from, to): the SILU_GRAD kernel's value, rounded,
     * times the gradient, as the composed backward computes it.
     */
    static void siluBackward(float[] x, float[] grad, float[] y, int from, int to) {
        int whole = from + (to - from) / L * L;
        siluBackwardBlocks(x, grad, y, from, whole);
        if (whole < to) {
            float[] t = new float[L];
            float[] g = new float[L];
            System.arraycopy(x, whole, t, 0, to - whole);
            System.arraycopy(grad, whole, g, 0, to - whole);
            siluBackwardBlocks(t, g, t, 0, L);
            System.arraycopy(t, 0, y, whole, to - whole);
        }
    }

    /** {@code y = f(x)} over whole vectors in [from, to) (to - from a multiple of L). */
    private static void vectorLoop(UnaryKernel f, float[] x, float[] y, int from, int to, float p) {
        if (f == UnaryKernel.EXP || f == UnaryKernel.SIGMOID || f == UnaryKernel.SILU || f == UnaryKernel.SILU_GRAD) {
            expFamily(f, x, y, from, to);
        } else {
            unaryLoop(f, x, y, from, to - L, p);
        }
    }

    /**
     * The whole vectors of {@code y = f(x)} from i while {@code i <= end}, for the kinds that are
     * not exp-based, one switch-free loop per kind: behind a per-vector switch C2 does not inline
     * the vector intrinsics and boxes. Returns the first element not done.
     */
    private static int unaryLoop(UnaryKernel f, float[] x, float[] y, int i, int end, float p) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1.0f);
        FloatVector minusOne = FloatVector.broadcast(S, -1.0f);
        switch (f) {
            case NEG: for (; i <= end; i += L) { FloatVector.fromArray(S, x, i).neg().intoArray(y, i); } break;
            case SQRT: for (; i <= end; i += L) { FloatVector.fromArray(S, x, i).sqrt().intoArray(y, i); } break;
            case RSQRT: for (; i <= end; i += L) { one.div(FloatVector.fromArray(S, x, i).sqrt()).intoArray(y, i); } break;
            case ABS: for (; i <= end; i += L) { FloatVector.fromArray(S, x, i).abs().intoArray(y, i); } break;
            case RELU: for (; i <= end; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                v.blend(zero, v.compare(VectorOperators.LE, zero)).intoArray(y, i);   // NaN stays NaN
            } break;
            case LEAKY_RELU: for (; i <= end; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                v.blend(v.mul(p), v.compare(VectorOperators.GT, zero).not()).intoArray(y, i);
            } break;
            case SIGN: for (; i <= end; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                zero.blend(one, v.compare(VectorOperators.GT, zero)).blend(minusOne, v.compare(VectorOperators.LT, zero)).intoArray(y, i);
            } break;
            case STEP: for (; i <= end; i += L) {
                zero.blend(one, FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, p)).intoArray(y, i);
            } break;
            case POW_SCALAR: for (; i <= end; i += L) { FloatVector v = FloatVector.fromArray(S, x, i); v.mul(v).intoArray(y, i); } break;
            case SCALE: for (; i <= end; i += L) { FloatVector.fromArray(S, x, i).mul(p).intoArray(y, i); } break;
            case SHIFT: for (; i <= end; i += L) { FloatVector.fromArray(S, x, i).add(p).intoArray(y, i); } break;
            default: throw new IllegalArgumentException("no vector form for " + f);
        }
        return i;
    }

    // ---------------------------------------------------------------------------------------
    // binary and where over broadcast plans

    /**
     * {@code y[j] = f(a[plan.offset(0, j)], b[plan.offset(1, j)])} for j in [from, to), walking the
     * plan one innermost row segment at a time.
     */
    static void binary(BinaryKernel f, float[] a, float[] b, float[] y, ElementwisePlan plan, int from, int to) {
        int r = plan.rank();
        int[] dims = plan.dims();
        int[] sa = plan.strides()[0];
        int[] sb = plan.strides()[1];
        int[] idx = unravel(from, dims);
        int inner = dims[r - 1];
        int ia = r - 1;
        int j = from;
        while (j < to) {
            int len = Math.min(inner - idx[ia], to - j);
            int oa = dot(idx, sa);
            int ob = dot(idx, sb);
            if (f == BinaryKernel.POW) {
                for (int q = 0; q < len; q++) {
                    y[j + q] = (float) Math.pow(a[oa + q * sa[ia]], b[ob + q * sb[ia]]);
                }
            } else {
                binaryRow(f, a, oa, sa[ia], b, ob, sb[ia], y, j, len);
            }
            j += len;
            advance(idx, dims, len);
        }
    }

    private static void binaryRow(BinaryKernel f, float[] a, int oa, int sa, float[] b, int ob, int sb,
                                  float[] y, int oy, int len) {
        int i = 0;
        if (len >= L) {
            if (f == BinaryKernel.ADD || f == BinaryKernel.SUB || f == BinaryKernel.MUL || f == BinaryKernel.DIV) {
                i = arithmeticRow(f, a, oa, sa, b, ob, sb, y, oy, len);
            } else {
                i = selectRow(f, a, oa, sa, b, ob, sb, y, oy, len);
            }
        }
        if (i < len) {
            // other strides and the ragged end: every kind here is IEEE-exact (one rounding of the
            // exact result, or a choice/compare), so a switch-free scalar loop gives the same bits
            // as the vector code
            scalarRow(f, a, oa + i * sa, sa, b, ob + i * sb, sb, y, oy + i, len - i);
        }
    }

    /** {@code y[oy+q] = f(a[oa+q sa], b[ob+q sb])}, q < len, for the exact kinds; one loop per kind. */
    private static void scalarRow(BinaryKernel f, float[] a, int oa, int sa, float[] b, int ob, int sb,
                                  float[] y, int oy, int len) {
        switch (f) {
            case ADD: for (int q = 0; q < len; q++) { y[oy + q] = a[oa + q * sa] + b[ob + q * sb]; } break;
            case SUB: for (int q = 0; q < len; q++) { y[oy + q] = a[oa + q * sa] - b[ob + q * sb]; } break;
            case MUL: for (int q = 0; q < len; q++) { y[oy + q] = a[oa + q * sa] * b[ob + q * sb]; } break;
            case DIV: for (int q = 0; q < len; q++) { y[oy + q] = a[oa + q * sa] / b[ob + q * sb]; } break;
            case MAX: for (int q = 0; q < len; q++) { y[oy + q] = Math.max(a[oa + q * sa], b[ob + q * sb]); } break;
            case MIN: for (int q = 0; q < len; q++) { y[oy + q] = Math.min(a[oa + q * sa], b[ob + q * sb]); } break;
            case GT: for (int q = 0; q < len; q++) { y[oy + q] = a[oa + q * sa] > b[ob + q * sb] ? 1.0f : 0.0f; } break;
            case GE: for (int q = 0; q < len; q++) { y[oy + q] = a[oa + q * sa] >= b[ob + q * sb] ? 1.0f : 0.0f; } break;
            case EQ: for (int q = 0; q < len; q++) { y[oy + q] = a[oa + q * sa] == b[ob + q * sb] ? 1.0f : 0.0f; } break;
            default: throw new IllegalArgumentException("no exact form for " + f);
        }
    }

    /**
     * The whole vectors of a row of max, min or a comparison for the three unit/broadcast stride
     * patterns, switch-free per kind (see {@link #arithmeticRow}). Returns the first element not done.
     */
    private static int selectRow(BinaryKernel f, float[] a, int oa, int sa, float[] b, int ob, int sb,
                                 float[] y, int oy, int len) {
        int i = 0;
        int end = len - L;
        FloatVector one = FloatVector.broadcast(S, 1.0f);
        FloatVector zero = FloatVector.zero(S);
        if (sa == 1 && sb == 1) {
            switch (f) {
                case MAX: for (; i <= end; i += L) { FloatVector.fromArray(S, a, oa + i).max(FloatVector.fromArray(S, b, ob + i)).intoArray(y, oy + i); } break;
                case MIN: for (; i <= end; i += L) { FloatVector.fromArray(S, a, oa + i).min(FloatVector.fromArray(S, b, ob + i)).intoArray(y, oy + i); } break;
                case GT: for (; i <= end; i += L) { zero.blend(one, FloatVector.fromArray(S, a, oa + i).compare(VectorOperators.GT, FloatVector.fromArray(S, b, ob + i))).intoArray(y, oy + i); } break;
                case GE: for (; i <= end; i += L) { zero.blend(one, FloatVector.fromArray(S, a, oa + i).compare(VectorOperators.GE, FloatVector.fromArray(S, b, ob + i))).intoArray(y, oy + i); } break;
                case EQ: for (; i <= end; i += L) { zero.blend(one, FloatVector.fromArray(S, a, oa + i).compare(VectorOperators.EQ, FloatVector.fromArray(S, b, ob + i))).intoArray(y, oy + i); } break;
                default: break;
            }
        } else if (sa == 1 && sb == 0) {
            FloatVector vb = FloatVector.broadcast(S, b[ob]);
            switch (f) {
                case MAX: for (; i <= end; i += L) { FloatVector.fromArray(S, a, oa + i).max(vb).intoArray(y, oy + i); } break;
                case MIN: for (; i <= end; i += L) { FloatVector.fromArray(S, a, oa + i).min(vb).intoArray(y, oy + i); } break;
                case GT: for (; i <= end; i += L) { zero.blend(one, FloatVector.fromArray(S, a, oa + i).compare(VectorOperators.GT, vb)).intoArray(y, oy + i); } break;
                case GE: for (; i <= end; i += L) { zero.blend(one, FloatVector.fromArray(S, a, oa + i).compare(VectorOperators.GE, vb)).intoArray(y, oy + i); } break;
                case EQ: for (; i <= end; i += L) { zero.blend(one, FloatVector.fromArray(S, a, oa + i).compare(VectorOperators.EQ, vb)).intoArray(y, oy + i); } break;
                default: break;
            }
        } else if (sa == 0 && sb == 1) {
            FloatVector va = FloatVector.broadcast(S, a[oa]);
            switch (f) {
                case MAX: for (; i <= end; i += L) { va.max(FloatVector.fromArray(S, b, ob + i)).intoArray(y, oy + i); } break;
                case MIN: for (; i <= end; i += L) { va.min(FloatVector.fromArray(S, b, ob + i)).intoArray(y, oy + i); } break;
                case GT: for (; i <= end; i += L) { zero.blend(one, va.compare(VectorOperators.GT, FloatVector.fromArray(S, b, ob + i))).intoArray(y, oy + i); } break;
                case GE: for (; i <= end; i += L) { zero.blend(one, va.compare(VectorOperators.GE, FloatVector.fromArray(S, b, ob + i))).intoArray(y, oy + i); } break;
                case EQ: for (; i <= end; i += L) { zero.blend(one, va.compare(VectorOperators.EQ, FloatVector.fromArray(S, b, ob + i))).intoArray(y, oy + i); } break;
                default: break;
            }
        }
        return i;
    }

    /**
     * The whole vectors of a row of +, -, * or / for the three unit/broadcast stride patterns, one
     * switch-free loop each: behind a per-vector switch over the op C2 gives up inlining the
     * vector intrinsics and boxes every vector. Returns the first element not done (the caller
     * finishes the row with the exact scalar loop, which gives the same bits).
     */
    private static int arithmeticRow(BinaryKernel f, float[] a, int oa, int sa, float[] b, int ob, int sb,
                                     float[] y, int oy, int len) {
        int i = 0;
        int end = len - L;
        if (sa == 1 && sb == 1) {
            switch (f) {
                case ADD: for (; i <= end; i += L) { FloatVector.fromArray(S, a, oa + i).add(FloatVector.fromArray(S, b, ob + i)).intoArray(y, oy + i); } break;
                case SUB: for (; i <= end; i += L) { FloatVector.fromArray(S, a, oa + i).sub(FloatVector.fromArray(S, b, ob + i)).intoArray(y, oy + i); } break;
                case MUL: for (; i <= end; i += L) { FloatVector.fromArray(S, a, oa + i).mul(FloatVector.fromArray(S, b, ob + i)).intoArray(y, oy + i); } break;
                default: for (; i <= end; i += L) { FloatVector.fromArray(S, a, oa + i).div(FloatVector.fromArray(S, b, ob + i)).intoArray(y, oy + i); } break;
            }
        } else if (sa == 1 && sb == 0) {
            FloatVector vb = FloatVector.broadcast(S, b[ob]);
            switch (f) {
                case ADD: for (; i <= end; i += L) { FloatVector.fromArray(S, a, oa + i).add(vb).intoArray(y, oy + i); } break;
                case SUB: for (; i <= end; i += L) { FloatVector.fromArray(S, a, oa + i).sub(vb).intoArray(y, oy + i); } break;
                case MUL: for (; i <= end; i += L) { FloatVector.fromArray(S, a, oa + i).mul(vb).intoArray(y, oy + i); } break;
                default: for (; i <= end; i += L) { FloatVector.fromArray(S, a, oa + i).div(vb).intoArray(y, oy + i); } break;
            }
        } else if (sa == 0 && sb == 1) {
            FloatVector va = FloatVector.broadcast(S, a[oa]);
            switch (f) {
                case ADD: for (; i <= end; i += L) { va.add(FloatVector.fromArray(S, b, ob + i)).intoArray(y, oy + i); } break;
                case SUB: for (; i <= end; i += L) { va.sub(FloatVector.fromArray(S, b, ob + i)).intoArray(y, oy + i); } break;
                case MUL: for (; i <= end; i += L) { va.mul(FloatVector.fromArray(S, b, ob + i)).intoArray(y, oy + i); } break;
                default: for (; i <= end; i += L) { va.div(FloatVector.fromArray(S, b, ob + i)).intoArray(y, oy + i); } break;
            }
        }
        return i;
    }

    /** {@code y[j] = c[..] != 0 ? a[..] : b[..]} for j in [from, to), operands by a three-input plan. */
    static void where(float[] c, float[] a, float[] b, float[] y, ElementwisePlan plan, int from, int to) {
        int r = plan.rank();
        int[] dims = plan.dims();
        int[] sc = plan.strides()[0];
        int[] sa = plan.strides()[1];
        int[] sb = plan.strides()[2];
        int[] idx = unravel(from, dims);
        int ia = r - 1;
        int j = from;
        while (j < to) {
            int len = Math.min(dims[ia] - idx[ia], to - j);
            int oc = dot(idx, sc);
            int oa = dot(idx, sa);
            int ob = dot(idx, sb);
            int i = 0;
            if (sc[ia] == 1 && sa[ia] == 1 && sb[ia] == 1) {
                for (; i <= len - L; i += L) {
                    VectorMask<Float> take = FloatVector.fromArray(S, c, oc + i).compare(VectorOperators.EQ, 0.0f).not();
                    FloatVector.fromArray(S, b, ob + i).blend(FloatVector.fromArray(S, a, oa + i), take).intoArray(y, j + i);
                }
            }
            // other strides and the ragged end: a pure selection, the same bits as the vector blend
            int scq = sc[ia], saq = sa[ia], sbq = sb[ia];
            for (; i < len; i++) {
                y[j + i] = c[oc + i * scq] != 0.0f ? a[oa + i * saq] : b[ob + i * sbq];
            }
            j += len;
            advance(idx, dims, len);
        }
    }

    private static int[] unravel(int linear, int[] dims) {
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = linear % dims[d];
            linear /= dims[d];
        }
        return idx;
    }

    private static int dot(int[] idx, int[] strides) {
        int o = 0;
        for (int d = 0; d < idx.length; d++) {
            o += idx[d] * strides[d];
        }
        return o;
    }

    private static void advance(int[] idx, int[] dims, int len) {
        int d = idx.length - 1;
        idx[d] += len;
        while (d > 0 && idx[d] >= dims[d]) {
            idx[d] = 0;
            idx[--d]++;
        }
    }

    // ---------------------------------------------------------------------------------------
    // reductions

    /** Elements one contiguous partial reduction covers; longer rows are split into such blocks. */
    static final int REDUCE_BLOCK = 1 << 15;

    /**
     * Reduces the contiguous block {@code x[off, off+len)} (len <= REDUCE_BLOCK): four vector
     * accumulators take elements round-robin by vector, are combined pairwise, spilled, added in
     * lane order, then the ragged end is added in order. For SUM each lane adds at most
     * len/(4L) terms, so |s - exact| <= (len/(4L) + L + 2 + 4L) eps sum|x| (to first order).
     */
    static float reduceBlock(ReduceKernel kind, float[] x, int off, int len) {
        boolean sum = kind == ReduceKernel.SUM;
        float init = sum ? 0.0f : Float.NEGATIVE_INFINITY;
        FloatVector a0 = FloatVector.broadcast(S, init);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        // loads as receivers, the loop-carried accumulators as arguments (see exp); + and max commute
        if (sum) {
            for (; i <= len - 4 * L; i += 4 * L) {
                a0 = FloatVector.fromArray(S, x, off + i).add(a0);
                a1 = FloatVector.fromArray(S, x, off + i + L).add(a1);
                a2 = FloatVector.fromArray(S, x, off + i + 2 * L).add(a2);
                a3 = FloatVector.fromArray(S, x, off + i + 3 * L).add(a3);
            }
            a0 = a0.add(a1).add(a2.add(a3));
        } else {
            for (; i <= len - 4 * L; i += 4 * L) {
                a0 = FloatVector.fromArray(S, x, off + i).max(a0);
                a1 = FloatVector.fromArray(S, x, off + i + L).max(a1);
                a2 = FloatVector.fromArray(S, x, off + i + 2 * L).max(a2);
                a3 = FloatVector.fromArray(S, x, off + i + 3 * L).max(a3);
            }
            a0 = a0.max(a1).max(a2.max(a3));
        }
        float[] lanes = new float[L];
        a0.intoArray(lanes, 0);
        float acc = init;
        for (int q = 0; q < L; q++) {
            acc = sum ? acc + lanes[q] : Math.max(acc, lanes[q]);
        }
        for (; i < len; i++) {
            acc = sum ? acc + x[off + i] : Math.max(acc, x[off + i]);
        }
        return acc;
    }

    /** Combines the block partials {@code partials[off, off+count)} in increasing order. */
    static float combine(ReduceKernel kind, float[] partials, int off, int count) {
        float acc = kind == ReduceKernel.SUM ? 0.0f : Float.NEGATIVE_INFINITY;
        for (int q = 0; q < count; q++) {
            float v = partials[off + q];
            acc = kind == ReduceKernel.SUM ? acc + v : Math.max(acc, v);
        }
        return acc;
    }

    /**
     * Strided reduction of {@code count} outputs whose inputs are {@code x[base + q + roff[r]]}
     * (q = 0..count-1 adjacent outputs, r = 0..roff.length-1): each output is reduced in
     * increasing r, lanes running across adjacent outputs. Same order as the oracle.
     */
    static void reduceStrided(ReduceKernel kind, float[] x, int base, int[] roff, float[] y, int yoff, int count) {
        boolean sum = kind == ReduceKernel.SUM;
        float init = sum ? 0.0f : Float.NEGATIVE_INFINITY;
        int q = 0;
        for (; q <= count - L; q += L) {
            FloatVector acc = FloatVector.broadcast(S, init);
            for (int r = 0; r < roff.length; r++) {
                FloatVector v = FloatVector.fromArray(S, x, base + q + roff[r]);
                acc = sum ? acc.add(v) : acc.max(v);
            }
            acc.intoArray(y, yoff + q);
        }
        for (; q < count; q++) {
            float acc = init;
            for (int r = 0; r < roff.length; r++) {
                float v = x[base + q + roff[r]];
                acc = sum ? acc + v : Math.max(acc, v);
            }
            y[yoff + q] = acc;
        }
    }

    /**
     * One output reduced over {@code x[base + roff[r]]} whose offsets come in runs of {@code run}
     * consecutive elements (a reduction over batch and spatial positions of [B, C, H, W] has runs
     * of H W): the whole vectors of every run into one vector accumulator, in increasing r, then
     * its lanes in lane order, then the runs' ragged ends in increasing r. Each lane adds at most
     * as many terms in a chain as the sequential order, and the adds no longer wait on each other
     * lane by lane.
     */
    static float reduceRuns(ReduceKernel kind, float[] x, int base, int[] roff, int run) {
        // the accumulator lives in a small array, not in a vector variable: a vector carried
        // around these nested loops was boxed by C2 (5x slower than the scalar loop)
        int whole = run / L * L;
        boolean sum = kind == ReduceKernel.SUM;
        float init = sum ? 0.0f : Float.NEGATIVE_INFINITY;
        float[] lanes = new float[L];
        java.util.Arrays.fill(lanes, init);
        float tail = init;
        for (int r = 0; r < roff.length; r += run) {
            int at = base + roff[r];
            if (sum) {
                for (int q = 0; q < whole; q += L) {
                    FloatVector.fromArray(S, x, at + q).add(FloatVector.fromArray(S, lanes, 0)).intoArray(lanes, 0);
                }
            } else {
                for (int q = 0; q < whole; q += L) {
                    FloatVector.fromArray(S, x, at + q).max(FloatVector.fromArray(S, lanes, 0)).intoArray(lanes, 0);
                }
            }
            for (int q = whole; q < run; q++) {
                tail = sum ? tail + x[at + q] : Math.max(tail, x[at + q]);
            }
        }
        float out = init;
        for (float v : lanes) {
            out = sum ? out + v : Math.max(out, v);
        }
        return sum ? out + tail : Math.max(out, tail);
    }

    /** The length of the runs of consecutive offsets {@code roff} is made of (1 when it is not made of equal runs). */
    static int runLength(int[] roff) {
        int n = roff.length;
        int run = 1;
        while (run < n && roff[run] == roff[0] + run) {
            run++;
        }
        if (n % run != 0) {
            return 1;
        }
        for (int r = 0; r < n; r += run) {
            for (int i = 1; i < run; i++) {
                if (roff[r + i] != roff[r] + i) {
                    return 1;
                }
            }
        }
        return run;
    }

    /** One output reduced in increasing r over {@code x[base + roff[r]]}, in order. */
    static float reduceGather(ReduceKernel kind, float[] x, int base, int[] roff) {
        boolean sum = kind == ReduceKernel.SUM;
        float acc = sum ? 0.0f : Float.NEGATIVE_INFINITY;
        for (int r = 0; r < roff.length; r++) {
            float v = x[base + roff[r]];
            acc = sum ? acc + v : Math.max(acc, v);
        }
        return acc;
    }

    // ---------------------------------------------------------------------------------------
    // matmul: packed panels and an MR x 2L register-blocked micro-kernel (BLIS structure)

    /** Rows of an A panel (micro-tile height). */
    static final int MR = 8;
    /** Columns of a B panel (micro-tile width): two vectors. */
    static final int NR = 2 * L;
    /** Depth of one packed block; fixed, so every C element sums the same k-blocks in order. */
    static final int KC = 256;
    /** Rows of C one task computes (a multiple of MR). */
    static final int MC = 16 * MR;
    /** Columns of C one task computes (a multiple of NR). */
    static final int NC = 256;

    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);
    private static final ThreadLocal<float[]> A_BLOCK = ThreadLocal.withInitial(() -> new float[MC * KC]);

    /**
     * True when every task packs its own rows of A, a k-block at a time, just before it uses them
     * (the block then stays in L2, as in BLIS), rather than the whole of A being packed up front
     * and read back from L3. Only with one column block per batch, so that no block is packed
     * twice, and not for an A shared by several batches (packed once up front).
     */
    static boolean packsAInTask(MatmulPlan p, int aPacks) {
        return ceilDiv(p.n(), NC) == 1 && (aPacks > 1 || p.batch() == 1);
    }

    /** Tasks of a plan: per batch, a grid of MC x NC tiles of C, row tiles fastest (they share a B block). */
    static int matmulTasks(MatmulPlan p) {
        return p.batch() * ceilDiv(p.m(), MC) * ceilDiv(p.n(), NC);
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Rows of op(A) rounded up to whole MR panels. */
    static int paddedM(MatmulPlan p) {
        return ceilDiv(p.m(), MR) * MR;
    }

    /** Columns of op(B) rounded up to whole NR panels. */
    static int paddedN(MatmulPlan p) {
        return ceilDiv(p.n(), NR) * NR;
    }

    /**
     * Packing tasks for A: one per (packed batch, MC row block, KC k-block), so that even a
     * product with one row block packs on every thread. A batch whose A offset equals batch 0's (a
     * broadcast operand) is packed once: {@code aPacks(p)} batches are packed.
     */
    static int packATasks(MatmulPlan p, int packs) {
        return packs * ceilDiv(p.m(), MC) * ceilDiv(p.k(), KC);
    }

    /** Packing tasks for B: one per (packed batch, NC column block, KC k-block). */
    static int packBTasks(MatmulPlan p, int packs) {
        return packs * ceilDiv(p.n(), NC) * ceilDiv(p.k(), KC);
    }

    /** 1 when every batch reads the same matrix (broadcast), else the batch count. */
    static int distinct(int[] offsets, int batch) {
        for (int i = 1; i < batch; i++) {
            if (offsets[i] != offsets[0]) {
                return batch;
            }
        }
        return 1;
    }

    /**
     * Packs packing task {@code task} of op(A) ({@link #packATasks}: row block fastest, then
     * k-block, then batch) into {@code ap}: batch bt's packed matrix starts at {@code bt K Mp}; its
     * k-block starting at pc at {@code + pc Mp}; within a block, panel ir/MR at {@code + ir kc}
     * and element (i, l) at {@code + l MR + i}. Rows beyond m are zero.
     */
    static void packATask(float[] a, MatmulPlan p, int task, float[] ap) {
        int tm = ceilDiv(p.m(), MC);
        int tk = ceilDiv(p.k(), KC);
        int bt = task / (tm * tk);
        int i0 = (task % tm) * MC;
        int pc = (task / tm % tk) * KC;
        int mc = Math.min(MC, p.m() - i0);
        int kc = Math.min(KC, p.k() - pc);
        int mp = paddedM(p);
        packA(a, p.aOffsets()[bt], p.lda(), p.transA(), i0, mc, pc, kc, ap, bt * p.k() * mp + pc * mp + i0 * kc);
    }

    /**
     * Packs packing task {@code task} of op(B) ({@link #packBTasks}: column block fastest, then
     * k-block, then batch) into {@code bp} (layout as packATask, NR columns a panel).
     */
    static void packBTask(float[] b, MatmulPlan p, int task, float[] bp) {
        int tn = ceilDiv(p.n(), NC);
        int tk = ceilDiv(p.k(), KC);
        int bt = task / (tn * tk);
        int j0 = (task % tn) * NC;
        int pc = (task / tn % tk) * KC;
        int nc = Math.min(NC, p.n() - j0);
        int kc = Math.min(KC, p.k() - pc);
        int np = paddedN(p);
        packB(b, p.bOffsets()[bt], p.ldb(), p.transB(), pc, kc, j0, nc, bp, bt * p.k() * np + pc * np + j0 * kc);
    }

    /**
     * Computes tile {@code task} of {@code C = op(A) op(B)} from the packed operands
     * ({@code aPacks}/{@code bPacks} = 1 when that operand is shared by all batches; {@code ap}
     * null: A packed here from {@code a}, see {@link #packsAInTask}): {@code c_ij}
     * is the sum over k-blocks of KC in increasing order, each block an fma chain in increasing
     * l. Rows or columns beyond the edge are zero in the packed panels and never stored, so an
     * element's arithmetic does not depend on which tile holds it.
     */
    static void matmulTask(float[] a, float[] ap, int aPacks, float[] bp, int bPacks, float[] c, MatmulPlan p,
                           int task) {
        int tm = ceilDiv(p.m(), MC);
        int tn = ceilDiv(p.n(), NC);
        int bt = task / (tm * tn);
        int rest = task - bt * tm * tn;
        int i0 = (rest % tm) * MC;
        int j0 = (rest / tm) * NC;
        int mc = Math.min(MC, p.m() - i0);
        int nc = Math.min(NC, p.n() - j0);
        int n = p.n();
        int k = p.k();
        int co = bt * p.m() * n;
        if (k == 0) {
            for (int i = 0; i < mc; i++) {
                java.util.Arrays.fill(c, co + (i0 + i) * n + j0, co + (i0 + i) * n + j0 + nc, 0.0f);
            }
            return;
        }
        int mp = paddedM(p);
        int np = paddedN(p);
        int aBase = (aPacks == 1 ? 0 : bt) * k * mp;
        int bBase = (bPacks == 1 ? 0 : bt) * k * np;
        float[] tile = TILE.get();
        float[] block = ap == null ? A_BLOCK.get() : null;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            float[] as = ap;
            int ab = aBase + pc * mp;
            if (ap == null) {
                // this task's rows of A for this k-block, packed now and used from L2
                packA(a, p.aOffsets()[bt], p.lda(), p.transA(), i0, mc, pc, kc, block, 0);
                as = block;
                ab = -i0 * kc;
            }
            int bb = bBase + pc * np;
            blockProduct(kc, as, ab + i0 * kc, bp, bb + j0 * kc, mc, nc, c, co + i0 * n + j0, n, pc > 0, tile);
        }
    }

    /**
     * One packed block pair into C: for the mc x nc block of C at {@code c[co + i ldc + j]}, each
     * micro-tile (ir, jr) is the A panel at {@code ap[aOff + ir kc]} times the B panel at
     * {@code bp[bOff + jr kc]}, stored into C, or added with {@code acc}. B panels outermost, so
     * that one stays in L1 while the A panels pass.
     */
    static void blockProduct(int kc, float[] ap, int aOff, float[] bp, int bOff, int mc, int nc,
                             float[] c, int co, int ldc, boolean acc, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int ci = co + ir * ldc + jr;
                kernel(kc, ap, aOff + ir * kc, bp, bOff + jr * kc, tile);
                if (nr == NR) {
                    storeFull(tile, c, ci, ldc, mr, acc);
                } else {
                    storePartial(tile, 0, c, ci, ldc, mr, nr, acc);
                }
            }
        }
    }

    /** C rows {@code ci + i n} (i < mr), NR wide: {@code = tile} or {@code += tile}, two vectors a row. */
    static void storeFull(float[] tile, float[] c, int ci, int n, int mr, boolean acc) {
        for (int i = 0; i < mr; i++) {
            int row = ci + i * n;
            FloatVector t0 = FloatVector.fromArray(S, tile, i * NR);
            FloatVector t1 = FloatVector.fromArray(S, tile, i * NR + L);
            if (acc) {
                t0 = FloatVector.fromArray(S, c, row).add(t0);
                t1 = FloatVector.fromArray(S, c, row + L).add(t1);
            }
            t0.intoArray(c, row);
            t1.intoArray(c, row + L);
        }
    }

    /**
     * C rows {@code ci + i n} (i < mr), from tile columns {@code j0 .. j0 + nr}: whole vectors
     * where the tile's lanes line up ({@code j0} a multiple of L), the rest one by one; both add
     * with the same IEEE rounding, so the split changes no bit.
     */
    static void storePartial(float[] tile, int j0, float[] c, int ci, int n, int mr, int nr, boolean acc) {
        int whole = j0 % L == 0 ? nr / L * L : 0;
        for (int i = 0; i < mr; i++) {
            int row = ci + i * n;
            int t = i * NR + j0;
            for (int j = 0; j < whole; j += L) {
                FloatVector v = FloatVector.fromArray(S, tile, t + j);
                if (acc) {
                    v = FloatVector.fromArray(S, c, row + j).add(v);
                }
                v.intoArray(c, row + j);
            }
            for (int j = whole; j < nr; j++) {
                c[row + j] = acc ? c[row + j] + tile[t + j] : tile[t + j];
            }
        }
    }

    /** Packs op(B)[pc..pc+kc, j0..j0+nc] into panels of NR columns: bp[at + (jr/NR) kc NR + l NR + j]. */
    private static void packB(float[] b, int bo, int ldb, boolean trans, int pc, int kc, int j0, int nc,
                              float[] bp, int at) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = at + jr * kc;
            if (!trans) {
                for (int l = 0; l < kc; l++) {
                    int dst = base + l * NR;
                    int src = bo + (pc + l) * ldb + j0 + jr;
                    if (nr == NR) {
                        FloatVector.fromArray(S, b, src).intoArray(bp, dst);
                        FloatVector.fromArray(S, b, src + L).intoArray(bp, dst + L);
                    } else {
                        for (int j = 0; j < nr; j++) {
                            bp[dst + j] = b[src + j];
                        }
                        for (int j = nr; j < NR; j++) {
                            bp[dst + j] = 0.0f;
                        }
                    }
                }
            } else {
                // B stored n x k: column j of op(B) is a contiguous row of B; read rows, scatter by NR
                for (int j = 0; j < NR; j++) {
                    if (j < nr) {
                        int src = bo + (j0 + jr + j) * ldb + pc;
                        for (int l = 0; l < kc; l++) {
                            bp[base + l * NR + j] = b[src + l];
                        }
                    } else {
                        for (int l = 0; l < kc; l++) {
                            bp[base + l * NR + j] = 0.0f;
                        }
                    }
                }
            }
        }
    }

    /** Packs op(A)[i0..i0+mc, pc..pc+kc] into panels of MR rows: ap[at + (ir/MR) kc MR + l MR + i]. */
    static void packA(float[] a, int ao, int lda, boolean trans, int i0, int mc, int pc, int kc,
                              float[] ap, int at) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = at + ir * kc;
            if (trans && mr == MR) {
                // A stored k x m: the MR rows of a panel are adjacent in each stored row, copied as
                // whole vectors; where MR is not a multiple of L the last vector's extra lanes land
                // in the next l's slot, written after it, so only a panel's last row may need the
                // element copy (the panel's end may be another task's packed rows)
                int span = ceilDiv(MR, L) * L;
                for (int l = 0; l < kc; l++) {
                    int src = ao + (pc + l) * lda + i0 + ir;
                    int dst = base + l * MR;
                    if (l * MR + span <= kc * MR && src + span <= a.length) {
                        for (int i = 0; i < MR; i += L) {
                            FloatVector.fromArray(S, a, src + i).intoArray(ap, dst + i);
                        }
                    } else {
                        for (int i = 0; i < MR; i++) {
                            ap[dst + i] = a[src + i];
                        }
                    }
                }
                continue;
            }
            for (int i = 0; i < MR; i++) {
                if (i >= mr) {
                    for (int l = 0; l < kc; l++) {
                        ap[base + l * MR + i] = 0.0f;
                    }
                } else if (!trans) {
                    int src = ao + (i0 + ir + i) * lda + pc;
                    for (int l = 0; l < kc; l++) {
                        ap[base + l * MR + i] = a[src + l];
                    }
                } else {
                    int src = ao + pc * lda + i0 + ir + i;
                    for (int l = 0; l < kc; l++) {
                        ap[base + l * MR + i] = a[src + l * lda];
                    }
                }
            }
        }
    }

    /**
     * The micro-kernel: an 8 x 2L tile {@code tile = A_panel B_panel} from an A panel (kc x 8) and a
     * B panel (kc x 2L), sixteen vector accumulators, one fma each per l. The tile is spilled to a
     * small buffer and added to C by the caller: storing from here would grow the method past
     * C2's inlining node budget, and an accumulator that is not inlined gets boxed.
     */
    static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int l = 0; l < kc; l++) {
            int b0 = bi + l * NR;
            int a0 = ai + l * MR;
            FloatVector v0 = FloatVector.fromArray(S, bp, b0);
            FloatVector v1 = FloatVector.fromArray(S, bp, b0 + L);
            FloatVector x = FloatVector.broadcast(S, ap[a0]);
            c00 = x.fma(v0, c00);
            c01 = x.fma(v1, c01);
            x = FloatVector.broadcast(S, ap[a0 + 1]);
            c10 = x.fma(v0, c10);
            c11 = x.fma(v1, c11);
            x = FloatVector.broadcast(S, ap[a0 + 2]);
            c20 = x.fma(v0, c20);
            c21 = x.fma(v1, c21);
            x = FloatVector.broadcast(S, ap[a0 + 3]);
            c30 = x.fma(v0, c30);
            c31 = x.fma(v1, c31);
            x = FloatVector.broadcast(S, ap[a0 + 4]);
            c40 = x.fma(v0, c40);
            c41 = x.fma(v1, c41);
            x = FloatVector.broadcast(S, ap[a0 + 5]);
            c50 = x.fma(v0, c50);
            c51 = x.fma(v1, c51);
            x = FloatVector.broadcast(S, ap[a0 + 6]);
            c60 = x.fma(v0, c60);
            c61 = x.fma(v1, c61);
            x = FloatVector.broadcast(S, ap[a0 + 7]);
            c70 = x.fma(v0, c70);
            c71 = x.fma(v1, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
    }

    /** Column-matrix row t = (image, channel, ky, kx): per output row, zeros for the padding, a copy for the rest. */
    static void im2colRow(float[] in, float[] c, ConvGeometry g, int t) {
        int oh = g.outHeight(), ow = g.outWidth(), rows = g.colRows(), ncol = g.colCols();
        int b = t / rows, r = t % rows;
        int ch = r / (g.kh() * g.kw());
        int ky = (r / g.kw()) % g.kh();
        int kx = r % g.kw();
        int w = g.width();
        int st = g.stride();
        int base = ((b * g.channels() + ch) * g.height()) * w;
        int outBase = t * ncol;
        int x0 = Math.min(ow, Math.max(0, ceilDivAny(g.padW() - kx, st)));
        int x1 = Math.max(x0, Math.min(ow, ceilDivAny(w + g.padW() - kx, st)));
        for (int y = 0; y < oh; y++) {
            int iy = y * st - g.padH() + ky;
            int rowOut = outBase + y * ow;
            if (iy < 0 || iy >= g.height()) {
                for (int x = 0; x < ow; x++) {
                    c[rowOut + x] = 0.0f;
                }
                continue;
            }
            int src = base + iy * w - g.padW() + kx;
            for (int x = 0; x < x0; x++) {
                c[rowOut + x] = 0.0f;
            }
            if (st == 1) {
                System.arraycopy(in, src + x0, c, rowOut + x0, x1 - x0);
            } else {
                for (int x = x0; x < x1; x++) {
                    c[rowOut + x] = in[src + x * st];
                }
            }
            for (int x = x1; x < ow; x++) {
                c[rowOut + x] = 0.0f;
            }
        }
    }

    /**
     * Output plane t = (image, channel) of col2im: rows (ch, ky, kx) added in increasing order, each
     * touching a pixel at most once, so every pixel sums its contributions in the oracle's order.
     */
    static void col2imPlane(float[] c, float[] out, ConvGeometry g, int t) {
        int oh = g.outHeight(), ow = g.outWidth(), rows = g.colRows(), ncol = g.colCols();
        int kk = g.kh() * g.kw();
        int w = g.width();
        int st = g.stride();
        int b = t / g.channels(), ch = t % g.channels();
        int base = t * g.height() * w;
        java.util.Arrays.fill(out, base, base + g.height() * w, 0.0f);
        for (int q = 0; q < kk; q++) {
            int ky = q / g.kw(), kx = q % g.kw();
            int colBase = (b * rows + ch * kk + q) * ncol;
            int x0 = Math.max(0, ceilDivAny(g.padW() - kx, st));
            int x1 = Math.min(ow, ceilDivAny(w + g.padW() - kx, st));
            for (int y = 0; y < oh; y++) {
                int iy = y * st - g.padH() + ky;
                if (iy < 0 || iy >= g.height()) {
                    continue;
                }
                int o = base + iy * w - g.padW() + kx;
                int ci = colBase + y * ow;
                if (st == 1) {
                    for (int x = x0; x < x1; x++) {
                        out[o + x] += c[ci + x];
                    }
                } else {
                    for (int x = x0; x < x1; x++) {
                        out[o + x * st] += c[ci + x];
                    }
                }
            }
        }
    }

    /** {@code ceil(a / b)} for b > 0 and any sign of a. */
    private static int ceilDivAny(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
