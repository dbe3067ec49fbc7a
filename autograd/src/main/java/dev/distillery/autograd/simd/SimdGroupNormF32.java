// GENERATED from SimdGroupNormF64.java by GenerateF32Kernels — do not edit.
// Regenerate: java --add-modules=jdk.incubator.vector -cp autograd/target/test-classes:autograd/target/classes dev.distillery.autograd.simd.GenerateF32Kernels
package dev.distillery.autograd.simd;

import dev.distillery.autograd.backend.GroupNormPlan;

/**
 * Group normalisation fused into two passes over each group (statistics, then the output) and
 * three for the gradient (two sums, then dx), where the composed form takes eight and fourteen
 * passes with a tensor allocated for each. Sums accumulate in float for both dtypes, sequentially
 * within a group, and the per-channel weight and bias gradients add the images' partial sums in
 * image order, so results do not depend on the thread count.
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
        double/*keep*/ sum = 0;
        for (int i = at; i < at + m; i++) {
            sum += x[i];
        }
        double/*keep*/ mu = sum / m;
        double/*keep*/ sq = 0;
        for (int i = at; i < at + m; i++) {
            double/*keep*/ d = x[i] - mu;
            sq += d * d;
        }
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
            double/*keep*/ gx = 0;
            double/*keep*/ gs = 0;
            int row = at + ch * s;
            for (int i = row; i < row + s; i++) {
                double/*keep*/ xhat = (x[i] - mu) * r;
                gx += g[i] * xhat;
                gs += g[i];
            }
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
