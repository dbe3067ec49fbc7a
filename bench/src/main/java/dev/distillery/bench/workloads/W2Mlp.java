package dev.distillery.bench.workloads;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.simd.SimdBackend;
import dev.distillery.diffusion.data.Toy2d;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.MlpDenoiser;
import dev.distillery.nn.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * W2, our side of {@code bench/torch/w2_mlp.py}: one full training step of the W2 MLP denoiser
 * (two moons, 8192 points standardised; x_t from the linear-beta schedule; eps-MSE; Adam 1e-3),
 * F32, on the SIMD backend. Timed per step: sampling idx/t/eps, q(x_t|x_0), forward, loss,
 * zero_grad, backward, Adam. Warm-up and measured steps as the script: batch 64 100+1000,
 * 512 50+300, 4096 10+40 ({@code --quick} divides both by 10).
 *
 * <p>Usage: {@code W2Mlp [--batches 64,512,4096] [--threads 1,2] [--quick]}; last stdout line JSON.
 */
public final class W2Mlp {
    private W2Mlp() {
    }

    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        List<Measure.Cell> cells = new ArrayList<>();
        for (int th : Measure.ints(Measure.arg(args, "--threads", "1,2"))) {
            for (int b : Measure.ints(Measure.arg(args, "--batches", "64,512,4096"))) {
                Measure.Cell c = run(th, b, quick);
                System.err.printf("W2 batch=%5d threads=%d  ms/step median %.3f  foreign=%.2f%n", b, th, c.median(), c.foreign());
                cells.add(c);
            }
        }
        System.out.println(Measure.document("w2_mlp", cells));
    }

    /** One cell with the script's step counts (a tenth of them when quick). */
    public static Measure.Cell run(int threads, int batch, boolean quick) {
        int warm = batch <= 64 ? 100 : batch <= 512 ? 50 : 10;
        int meas = batch <= 64 ? 1000 : batch <= 512 ? 300 : 40;
        if (quick) {
            warm = Math.max(3, warm / 10);
            meas = Math.max(5, meas / 10);
        }
        return run(threads, batch, warm, meas);
    }

    public static Measure.Cell run(int threads, int batch, int warm, int meas) {
        SimdBackend be = new SimdBackend(threads);
        try (var scope = Backends.use(be)) {
            MlpDenoiser net = MlpConfig.w2().build();
            Adam opt = Adam.adam(net.namedParameters(), 1e-3);
            Tensor data = twoMoons(8192);
            return EpsTrainingLoop.time("w2_mlp", batch, threads, warm, meas, data, net::forward, opt);
        }
    }

    /** Two moons (noise 0.05), standardised per coordinate, as an F32 tensor [n, 2]. */
    static Tensor twoMoons(int n) {
        double[][] p = Toy2d.twoMoons(n, new SplittableRandom(0));
        double[] flat = new double[2 * n];
        for (int c = 0; c < 2; c++) {
            double mean = 0;
            for (double[] q : p) {
                mean += q[c];
            }
            mean /= n;
            double var = 0;
            for (double[] q : p) {
                var += (q[c] - mean) * (q[c] - mean);
            }
            double sd = Math.sqrt(var / n);
            for (int i = 0; i < n; i++) {
                flat[2 * i + c] = (p[i][c] - mean) / sd;
            }
        }
        return Tensor.of(DType.F32, flat, n, 2);
    }
}
