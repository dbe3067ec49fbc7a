// GENERATED from SimdGroupNormF64.java by GenerateF32Kernels — do not edit.
// Regenerate: java --add-modules=jdk.incubator.vector -cp autograd/target/test-classes:autograd/target/classes dev.distillery.autograd.simd.GenerateF32Kernels
package dev.distillery.autograd.simd;

import dev.distillery.autograd.backend.GroupNormPlan;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Group normalisation fused into three vector passes over each group (mean, variance, output)
 * and two for the gradient (the sums, then dx), where the composed form takes eight and fourteen
 * passes with a tensor allocated for each.
 *
 * <p>Sums accumulate in the dtype, as PyTorch's CPU kernel does: the group's mean and variance in
 * four vector accumulators that take whole vectors round-robin ({@link #sum}), so every lane adds
 * at most {@code m/(4L)} terms in a chain; the per-row gradient sums in one vector per row, whose
 * lanes are kept in a partial buffer ({@link #partialLength}) and added only at the end, image
 * by image and then lane by lane ({@link #sumOverImages}). Every order is fixed and nothing depends
 * on the thread count; ragged row ends go through a scalar loop of the same IEEE-exact operations.
 */
final class SimdGroupNormF32 {
    private static final VectorSpecies<Float> S = SimdKernelsF32.S;
    private static final int L = SimdKernelsF32.L;

    private SimdGroupNormF32() {
    }

    /** Length of the per-row partial buffers {@link #backwardGroup} fills: L lanes per (image, channel). */
    static int partialLength(GroupNormPlan p) {
        return p.batch() * p.channels() * L;
    }

    /**
     * Group {@code t = (image, group)}: {@code mean[t]}, {@code rstd[t] = 1/sqrt(var + eps)} with the
     * biased variance from the centred values, and {@code y = (x - mean) (rstd w[c]) + b[c]}.
     */
    static void forwardGroup(float[] x, float[] w, float[] b, float[] y, float[] mean, float[] rstd,
                             GroupNormPlan p, int t) {
        int m = p.groupSize();
        int at = t * m;
        float mu = sum(x, at, m, 0.0f, false) / m;
        float sq = sum(x, at, m, mu, true);
        float r = (float) (1 / Math.sqrt(sq / m + p.eps()));
        mean[t] = mu;
        rstd[t] = r;
        int perGroup = p.channels() / p.groups();
        int c0 = (t % p.groups()) * perGroup;
        int s = p.spatial();
        int whole = s / L * L;
        FloatVector muV = FloatVector.broadcast(S, mu);
        for (int ch = 0; ch < perGroup; ch++) {
            float scale = w == null ? r : r * w[c0 + ch];
            float shift = b == null ? 0.0f : b[c0 + ch];
            FloatVector scaleV = FloatVector.broadcast(S, scale);
            FloatVector shiftV = FloatVector.broadcast(S, shift);
            int row = at + ch * s;
            for (int i = row; i < row + whole; i += L) {
                FloatVector.fromArray(S, x, i).sub(muV).mul(scaleV).add(shiftV).intoArray(y, i);
            }
            for (int i = row + whole; i < row + s; i++) {
                y[i] = (x[i] - mu) * scale + shift;
            }
        }
    }

    /**
     * Group {@code t}: with {@code xhat = (x - mean) rstd} and {@code dxhat = g w[c]},
     * {@code dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat))} (when {@code dx} is wanted),
     * and each of this image's rows' lane partials of {@code sum_s g xhat} and {@code sum_s g} into
     * {@code partialW[(image C + c) L ...]}, {@code partialB[...]} (each may be null; the ragged
     * end's sum joins lane 0).
     */
    static void backwardGroup(float[] x, float[] w, float[] mean, float[] rstd, float[] g, float[] dx,
                              float[] partialW, float[] partialB, GroupNormPlan p, int t) {
        int m = p.groupSize();
        int at = t * m;
        int perGroup = p.channels() / p.groups();
        int image = t / p.groups();
        int c0 = (t % p.groups()) * perGroup;
        int s = p.spatial();
        int whole = s / L * L;
        float mu = mean[t];
        float r = rstd[t];
        FloatVector muV = FloatVector.broadcast(S, mu);
        FloatVector rV = FloatVector.broadcast(S, r);
        // sum_c w_c (row sums), lane-wise; kept in arrays, not vector variables carried across
        // the channel loop (C2 boxes those, see SimdKernelsF32.reduceRuns)
        float[] sumD = new float[L];
        float[] sumDX = new float[L];
        float[] rowG = new float[L];
        float[] rowGX = new float[L];
        float tailD = 0.0f;
        float tailDX = 0.0f;
        for (int ch = 0; ch < perGroup; ch++) {
            float wc = w == null ? 1.0f : w[c0 + ch];
            FloatVector gs = FloatVector.zero(S);
            FloatVector gx = FloatVector.zero(S);
            int row = at + ch * s;
            for (int i = row; i < row + whole; i += L) {
                FloatVector gi = FloatVector.fromArray(S, g, i);
                gs = gi.add(gs);
                gx = gi.mul(FloatVector.fromArray(S, x, i).sub(muV).mul(rV)).add(gx);
            }
            float gsTail = 0.0f;
            float gxTail = 0.0f;
            for (int i = row + whole; i < row + s; i++) {
                gsTail += g[i];
                gxTail += g[i] * ((x[i] - mu) * r);
            }
            FloatVector wV = FloatVector.broadcast(S, wc);
            gs.mul(wV).add(FloatVector.fromArray(S, sumD, 0)).intoArray(sumD, 0);
            gx.mul(wV).add(FloatVector.fromArray(S, sumDX, 0)).intoArray(sumDX, 0);
            tailD += gsTail * wc;
            tailDX += gxTail * wc;
            int c = (image * p.channels() + c0 + ch) * L;
            if (partialW != null) {
                gx.intoArray(rowGX, 0);
                rowGX[0] += gxTail;
                System.arraycopy(rowGX, 0, partialW, c, L);
            }
            if (partialB != null) {
                gs.intoArray(rowG, 0);
                rowG[0] += gsTail;
                System.arraycopy(rowG, 0, partialB, c, L);
            }
        }
        if (dx == null) {
            return;
        }
        float meanD = (inLaneOrder(sumD) + tailD) / m;
        float meanDX = (inLaneOrder(sumDX) + tailDX) / m;
        FloatVector meanDV = FloatVector.broadcast(S, meanD);
        FloatVector meanDXV = FloatVector.broadcast(S, meanDX);
        for (int ch = 0; ch < perGroup; ch++) {
            float wc = w == null ? 1.0f : w[c0 + ch];
            FloatVector wV = FloatVector.broadcast(S, wc);
            int row = at + ch * s;
            for (int i = row; i < row + whole; i += L) {
                FloatVector xhat = FloatVector.fromArray(S, x, i).sub(muV).mul(rV);
                FloatVector.fromArray(S, g, i).mul(wV).sub(meanDV).sub(xhat.mul(meanDXV)).mul(rV).intoArray(dx, i);
            }
            for (int i = row + whole; i < row + s; i++) {
                float xhat = (x[i] - mu) * r;
                dx[i] = (g[i] * wc - meanD - xhat * meanDX) * r;
            }
        }
    }

    /**
     * {@code sum_{i in [at, at+m)} x_i}, or with {@code squares} {@code sum (x_i - mu)^2}: whole
     * vectors round-robin into four accumulators, combined as ((a0 + a1) + (a2 + a3)), the
     * leftover whole vectors into that, its lanes in lane order, then the ragged end in order.
     * Error at most {@code (m/(4L) + L + 4) eps sum|term|} to first order.
     */
    private static float sum(float[] x, int at, int m, float mu, boolean squares) {
        FloatVector muV = FloatVector.broadcast(S, mu);
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = at;
        int end = at + m;
        if (squares) {
            for (; i <= end - 4 * L; i += 4 * L) {
                FloatVector d0 = FloatVector.fromArray(S, x, i).sub(muV);
                FloatVector d1 = FloatVector.fromArray(S, x, i + L).sub(muV);
                FloatVector d2 = FloatVector.fromArray(S, x, i + 2 * L).sub(muV);
                FloatVector d3 = FloatVector.fromArray(S, x, i + 3 * L).sub(muV);
                a0 = d0.mul(d0).add(a0);
                a1 = d1.mul(d1).add(a1);
                a2 = d2.mul(d2).add(a2);
                a3 = d3.mul(d3).add(a3);
            }
            a0 = a0.add(a1).add(a2.add(a3));
            for (; i <= end - L; i += L) {
                FloatVector d = FloatVector.fromArray(S, x, i).sub(muV);
                a0 = d.mul(d).add(a0);
            }
        } else {
            for (; i <= end - 4 * L; i += 4 * L) {
                a0 = FloatVector.fromArray(S, x, i).add(a0);
                a1 = FloatVector.fromArray(S, x, i + L).add(a1);
                a2 = FloatVector.fromArray(S, x, i + 2 * L).add(a2);
                a3 = FloatVector.fromArray(S, x, i + 3 * L).add(a3);
            }
            a0 = a0.add(a1).add(a2.add(a3));
            for (; i <= end - L; i += L) {
                a0 = FloatVector.fromArray(S, x, i).add(a0);
            }
        }
        float[] lanes = new float[L];
        a0.intoArray(lanes, 0);
        float acc = inLaneOrder(lanes);
        for (; i < end; i++) {
            float d = squares ? (x[i] - mu) * (x[i] - mu) : x[i];
            acc += d;
        }
        return acc;
    }

    private static float inLaneOrder(float[] lanes) {
        float acc = 0.0f;
        for (float v : lanes) {
            acc += v;
        }
        return acc;
    }

    /** {@code out[c] = sum_image sum_lane partial[(image C + c) L + lane]}: images in order lane-wise, then lanes in order. */
    static void sumOverImages(float[] partial, float[] out, GroupNormPlan p) {
        float[] lanes = new float[L];
        for (int c = 0; c < p.channels(); c++) {
            java.util.Arrays.fill(lanes, 0.0f);
            for (int b = 0; b < p.batch(); b++) {
                FloatVector.fromArray(S, partial, (b * p.channels() + c) * L).add(FloatVector.fromArray(S, lanes, 0))
                        .intoArray(lanes, 0);
            }
            out[c] = inLaneOrder(lanes);
        }
    }
}
