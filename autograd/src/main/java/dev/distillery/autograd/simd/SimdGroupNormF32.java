// GENERATED from SimdGroupNormF64.java by GenerateF32Kernels — do not edit.
// Regenerate: java --add-modules=jdk.incubator.vector -cp autograd/target/test-classes:autograd/target/classes dev.distillery.autograd.simd.GenerateF32Kernels
package dev.distillery.autograd.simd;

import dev.distillery.autograd.backend.GroupNormPlan;

/**
 * Group normalisation fused into three passes over each group (mean, variance, output) and two
 * for the gradient (the sums, then dx), where the composed form takes eight and fourteen passes
 * with a tensor allocated for each. Sums accumulate in float for both dtypes, in four
 * interleaved partial sums (so that the adds do not wait on each other) combined in a fixed
 * order; the per-channel weight and bias gradients add the images' partial sums in image order.
 * Nothing depends on the thread count.
 */
final class SimdGroupNormF32 {
    private SimdGroupNormF32() {
    }

    /**
     * Group {@code t = (image, group)}: {@code mean[t]}, {@code rstd[t] = 1/sqrt(var + eps)} with the
     * biased variance from the centred values, and {@code y = (x - mean) rstd w[c] + b[c]}.
     */
    static void forwardGroup(float[] x, float[] w, float[] b, float[] y, float[] mean, float[] rstd,
                             GroupNormPlan p, int t) {
        int m = p.groupSize();
        int at = t * m;
        double/*keep*/ mu = sum(x, at, at + m) / m;
        double/*keep*/ sq = sumOfSquares(x, at, at + m, mu);
        double/*keep*/ r = 1 / Math.sqrt(sq / m + p.eps());
        mean[t] = (float) mu;
        rstd[t] = (float) r;
        int perGroup = p.channels() / p.groups();
        int c0 = (t % p.groups()) * perGroup;
        int s = p.spatial();
        for (int ch = 0; ch < perGroup; ch++) {
            double/*keep*/ scale = w == null ? r : r * w[c0 + ch];
            double/*keep*/ shift = b == null ? 0 : b[c0 + ch];
            int row = at + ch * s;
            for (int i = row; i < row + s; i++) {
                y[i] = (float) ((x[i] - mu) * scale + shift);
            }
        }
    }

    /**
     * Group {@code t}: with {@code xhat = (x - mean) rstd} and {@code dxhat = g w[c]},
     * {@code dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat))} (when {@code dx} is wanted),
     * and this image's per-channel partial sums {@code sum_s g xhat} and {@code sum_s g} into
     * {@code partialW[image C + c]}, {@code partialB[...]} (each may be null).
     */
    static void backwardGroup(float[] x, float[] w, float[] mean, float[] rstd, float[] g, float[] dx,
                              double/*keep*/[] partialW, double/*keep*/[] partialB, GroupNormPlan p, int t) {
        int m = p.groupSize();
        int at = t * m;
        int perGroup = p.channels() / p.groups();
        int image = t / p.groups();
        int c0 = (t % p.groups()) * perGroup;
        int s = p.spatial();
        double/*keep*/ mu = mean[t];
        double/*keep*/ r = rstd[t];
        double/*keep*/ sumD = 0;
        double/*keep*/ sumDX = 0;
        for (int ch = 0; ch < perGroup; ch++) {
            double/*keep*/ wc = w == null ? 1 : w[c0 + ch];
            double/*keep*/ gx0 = 0;
            double/*keep*/ gx1 = 0;
            double/*keep*/ gs0 = 0;
            double/*keep*/ gs1 = 0;
            int row = at + ch * s;
            int i = row;
            for (; i + 1 < row + s; i += 2) {
                gx0 += g[i] * ((x[i] - mu) * r);
                gs0 += g[i];
                gx1 += g[i + 1] * ((x[i + 1] - mu) * r);
                gs1 += g[i + 1];
            }
            if (i < row + s) {
                gx0 += g[i] * ((x[i] - mu) * r);
                gs0 += g[i];
            }
            double/*keep*/ gx = gx0 + gx1;
            double/*keep*/ gs = gs0 + gs1;
            sumD += gs * wc;
            sumDX += gx * wc;
            int c = image * p.channels() + c0 + ch;
            if (partialW != null) {
                partialW[c] = gx;
            }
            if (partialB != null) {
                partialB[c] = gs;
            }
        }
        if (dx == null) {
            return;
        }
        double/*keep*/ meanD = sumD / m;
        double/*keep*/ meanDX = sumDX / m;
        for (int ch = 0; ch < perGroup; ch++) {
            double/*keep*/ wc = w == null ? 1 : w[c0 + ch];
            int row = at + ch * s;
            for (int i = row; i < row + s; i++) {
                double/*keep*/ xhat = (x[i] - mu) * r;
                dx[i] = (float) (r * (g[i] * wc - meanD - xhat * meanDX));
            }
        }
    }

    /** {@code sum_{i in [from, to)} x_i} in float: four partial sums over i mod 4, added as ((s0 + s1) + (s2 + s3)). */
    private static double/*keep*/ sum(float[] x, int from, int to) {
        double/*keep*/ s0 = 0;
        double/*keep*/ s1 = 0;
        double/*keep*/ s2 = 0;
        double/*keep*/ s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        for (; i < to; i++) {
            s0 += x[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code sum_{i in [from, to)} (x_i - mu)^2} in float, partial sums as {@link #sum}. */
    private static double/*keep*/ sumOfSquares(float[] x, int from, int to, double/*keep*/ mu) {
        double/*keep*/ s0 = 0;
        double/*keep*/ s1 = 0;
        double/*keep*/ s2 = 0;
        double/*keep*/ s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            double/*keep*/ d0 = x[i] - mu;
            double/*keep*/ d1 = x[i + 1] - mu;
            double/*keep*/ d2 = x[i + 2] - mu;
            double/*keep*/ d3 = x[i + 3] - mu;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < to; i++) {
            double/*keep*/ d = x[i] - mu;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code out[c] = sum_image partial[image C + c]}, in image order. */
    static void sumOverImages(double/*keep*/[] partial, float[] out, GroupNormPlan p) {
        for (int c = 0; c < p.channels(); c++) {
            double/*keep*/ acc = 0;
            for (int b = 0; b < p.batch(); b++) {
                acc += partial[b * p.channels() + c];
            }
            out[c] = (float) acc;
        }
    }
}
