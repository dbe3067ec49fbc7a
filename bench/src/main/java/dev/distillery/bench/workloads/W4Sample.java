package dev.distillery.bench.workloads;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.simd.SimdBackend;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.MlpDenoiser;
import java.util.ArrayList;
import java.util.List;

/**
 * W4, our side of {@code bench/torch/w4_sample.py}: DDIM (eta 0) 50 steps and ancestral DDPM
 * 1000 steps on 10,000 2-D points with the untrained W2 network, F32, under no-grad; the
 * update formulas are the script's, written with tensor ops. One untimed DDIM warm-up, then
 * DDIM x5 and DDPM x3 wall times per run ({@code --quick}: x2 and x1).
 *
 * <p>Usage: {@code W4Sample [--threads 1,2] [--quick]}; last stdout line JSON.
 */
public final class W4Sample {
    static final int N = 10_000;

    private W4Sample() {
    }

    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        List<Measure.Cell> cells = new ArrayList<>();
        for (int th : Measure.ints(Measure.arg(args, "--threads", "1,2"))) {
            for (String kind : List.of("ddim50", "ddpm1000")) {
                Measure.Cell c = run(th, kind, kind.equals("ddim50") ? (quick ? 2 : 5) : (quick ? 1 : 3));
                System.err.printf("W4 %-8s threads=%d  ms/run median %.1f  foreign=%.2f%n", kind, th, c.median(), c.foreign());
                cells.add(c);
            }
        }
        System.out.println(Json.doc("w4_sample", cells));
    }

    public static Measure.Cell run(int threads, String kind, int reps) {
        SimdBackend be = new SimdBackend(threads);
        try (var scope = Backends.use(be); var ng = Autograd.noGrad()) {
            MlpDenoiser net = MlpConfig.w2().build();
            double[][] sch = Measure.schedule();
            ddim(net, sch[2]); // untimed warm-up
            double[] ms = new double[reps];
            Measure.prepareCell();
            Measure.Load load = Measure.Load.start();
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                Tensor x = kind.equals("ddim50") ? ddim(net, sch[2]) : ddpm(net, sch);
                x.sum().item();
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            return new Measure.Cell("w4_sample", kind, threads, ms, load.foreign());
        }
    }

    static Tensor eps(MlpDenoiser net, Tensor x, int t) {
        return net.forward(x, Tensor.full(DType.F32, t, N));
    }

    static Tensor ddim(MlpDenoiser net, double[] ab) {
        Rng g = new Rng(1);
        Tensor x = Tensor.randn(DType.F32, g, N, 2);
        for (int t = 980; t >= 0; t -= 20) {
            Tensor e = eps(net, x, t);
            double at = ab[t];
            double ap = t - 20 >= 0 ? ab[t - 20] : 1.0;
            Tensor x0 = x.sub(e.mul((float) Math.sqrt(1 - at))).div((float) Math.sqrt(at));
            x = x0.mul((float) Math.sqrt(ap)).add(e.mul((float) Math.sqrt(1 - ap)));
        }
        return x;
    }

    static Tensor ddpm(MlpDenoiser net, double[][] sch) {
        double[] betas = sch[0], alphas = sch[1], ab = sch[2];
        Rng g = new Rng(2);
        Tensor x = Tensor.randn(DType.F32, g, N, 2);
        for (int t = 999; t >= 0; t--) {
            Tensor e = eps(net, x, t);
            Tensor mean = x.sub(e.mul((float) (betas[t] / Math.sqrt(1 - ab[t])))).div((float) Math.sqrt(alphas[t]));
            if (t > 0) {
                double var = betas[t] * (1 - ab[t - 1]) / (1 - ab[t]);
                x = mean.add(Tensor.randn(DType.F32, g, N, 2).mul((float) Math.sqrt(var)));
            } else {
                x = mean;
            }
        }
        return x;
    }
}
