package dev.distillery.diffusion.mixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The analytic teacher evaluates a large batch in blocks of rows so that its {@code [rows, K, D]}
 * intermediates stay bounded (a mixture of the training digits denoising 8192 images at once
 * would need tens of GiB). Every quantity is computed within its row, so the blocks must change
 * no bit: x0, the score and the log-density in blocks equal the one-block evaluation exactly,
 * with per-sample times and with per-sample class weights.
 */
class RowBlocksTest {
    private static final int K = 5;
    private static final int D = 4;

    private static GaussianMixture mixture() {
        Rng r = new Rng(3L);
        double[] w = new double[K];
        double[][] mu = new double[K][D];
        double[][] var = new double[K][D];
        for (int k = 0; k < K; k++) {
            w[k] = 1.0 + k;
            for (int d = 0; d < D; d++) {
                mu[k][d] = 2 * r.nextDouble() - 1;
                var[k][d] = 0.01 + 0.1 * r.nextDouble();
            }
        }
        double total = 15.0;
        for (int k = 0; k < K; k++) {
            w[k] /= total;
        }
        return new GaussianMixture(w, mu, var);
    }

    @Test
    void blocksOfRowsChangeNoBit() {
        GaussianMixture m = mixture();
        int b = 37;
        Tensor z = Tensor.randn(DType.F32, 5L, 0L, b, D);
        double[] a = new double[b];
        double[] s = new double[b];
        double[] lw = new double[b * K];
        for (int i = 0; i < b; i++) {
            a[i] = 0.2 + 0.7 * i / b;
            s[i] = Math.sqrt(1 - a[i] * a[i]);
            for (int k = 0; k < K; k++) {
                lw[i * K + k] = (k + i) % 3 == 0 ? -1e300 : Math.log(1.0 / K);   // some rows restricted to a class
            }
        }
        Tensor alpha = Tensor.of(DType.F32, a, b);
        Tensor sigma = Tensor.of(DType.F32, s, b);
        Tensor logWeights = Tensor.of(DType.F32, lw, b, K);
        long limit = 10L * K * D;   // 10 rows a block: 4 blocks, the last of 7
        for (GaussianMixtureDenoiser.RowEvaluation f : java.util.List.<GaussianMixtureDenoiser.RowEvaluation>of(
                m::x0, m::score, m::logDensity)) {
            AtomicInteger calls = new AtomicInteger();
            Tensor blocked = GaussianMixtureDenoiser.inRowBlocks(m, limit, z, alpha, sigma, logWeights, (zz, aa, ss, ww) -> {
                calls.incrementAndGet();
                return f.apply(zz, aa, ss, ww);
            });
            assertEquals(4, calls.get());
            assertArrayEquals(f.apply(z, alpha, sigma, logWeights).toFloatArray(), blocked.toFloatArray());
        }
        // a shared (rank-0) time and no class weights
        Tensor shared = Tensor.scalar(0.6, DType.F32);
        Tensor sharedSigma = Tensor.scalar(0.8, DType.F32);
        assertArrayEquals(m.x0(z, shared, sharedSigma, null).toFloatArray(),
                GaussianMixtureDenoiser.inRowBlocks(m, limit, z, shared, sharedSigma, null, m::x0).toFloatArray());
    }
}
