package dev.distillery.bench.workloads;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.simd.SimdBackend;
import dev.distillery.diffusion.data.Digits;
import dev.distillery.nn.models.UNet;
import dev.distillery.nn.models.UNetConfig;
import dev.distillery.nn.optim.Adam;
import java.util.ArrayList;
import java.util.List;

/**
 * W3, our side of {@code bench/torch/w3_unet.py}: one training step of the W3 U-Net
 * ({@link UNetConfig#w3()}) on the 8x8 digits (x/8 - 1), batch 128, eps-MSE, Adam 1e-3, F32.
 * Timed per step: sampling idx/t/eps, q(x_t|x_0), forward, loss, zero_grad, backward, Adam;
 * 10 warm-up and 60 measured steps as the script ({@code --quick}: 2 + 6).
 *
 * <p>Usage: {@code W3UNet [--threads 1,2] [--batch 128] [--quick]}; last stdout line JSON.
 */
public final class W3UNet {
    private W3UNet() {
    }

    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        int batch = Integer.parseInt(Measure.arg(args, "--batch", "128"));
        List<Measure.Cell> cells = new ArrayList<>();
        for (int th : Measure.ints(Measure.arg(args, "--threads", "1,2"))) {
            Measure.Cell c = run(th, batch, quick ? 2 : 10, quick ? 6 : 60);
            System.err.printf("W3 unet batch=%d threads=%d  ms/step median %.2f  foreign=%.2f%n", batch, th, c.median(), c.foreign());
            cells.add(c);
        }
        System.out.println(Measure.document("w3_unet", cells));
    }

    public static Measure.Cell run(int threads, int batch, int warm, int meas) {
        SimdBackend be = new SimdBackend(threads);
        try (var scope = Backends.use(be)) {
            UNet net = UNetConfig.w3().build();
            Adam opt = Adam.adam(net.namedParameters(), 1e-3);
            float[][] img = Digits.load().images();
            int n = img.length;
            double[] flat = new double[n * 64];
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < 64; p++) {
                    flat[i * 64 + p] = img[i][p] / 8.0 - 1.0;
                }
            }
            Tensor data = Tensor.of(DType.F32, flat, n, 1, 8, 8);
            return EpsTrainingLoop.time("w3_unet", batch, threads, warm, meas, data, net::forward, opt);
        }
    }
}
