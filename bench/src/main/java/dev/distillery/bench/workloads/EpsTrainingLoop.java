package dev.distillery.bench.workloads;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.nn.optim.Adam;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * The timed loop W2 and W3 share, as their PyTorch scripts define a step: sample {@code idx ~ U}
 * over the data and {@code t ~ U{0..999}}, {@code eps ~ N(0, I)},
 * {@code x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps} on the linear-beta schedule (coefficients
 * rounded to F32 as torch casts them), the eps-MSE of the network, zero_grad, backward, Adam. Each
 * step is timed whole; the machine load is recorded over the measured steps.
 */
final class EpsTrainingLoop {
    private EpsTrainingLoop() {
    }

    /**
     * {@code warm} untimed then {@code meas} timed steps of {@code net} ({@code (x_t, t) -> eps_hat})
     * on {@code data} ({@code [N, ...]}, F32).
     */
    static Measure.Cell time(String workload, int batch, int threads, int warm, int meas, Tensor data,
                             BiFunction<Tensor, Tensor, Tensor> net, Adam opt) {
        double[][] sch = Measure.schedule();
        double[] sab = new double[1000];
        double[] s1ab = new double[1000];
        for (int i = 0; i < 1000; i++) {
            sab[i] = (float) Math.sqrt(sch[2][i]);
            s1ab[i] = (float) Math.sqrt(1 - sch[2][i]);
        }
        int n = data.dim(0);
        int[] sampleDims = data.shape().dims().clone();
        sampleDims[0] = batch;
        int[] coefDims = new int[sampleDims.length];
        java.util.Arrays.fill(coefDims, 1);
        coefDims[0] = batch;
        SplittableRandom r = new SplittableRandom(0);
        Rng rng = new Rng(0);
        double[] ms = new double[meas];
        Measure.prepareCell();
        Measure.Load load = null;
        for (int it = 0; it < warm + meas; it++) {
            if (it == warm) {
                load = Measure.Load.start();
            }
            long t0 = System.nanoTime();
            int[] idx = new int[batch];
            double[] tv = new double[batch];
            double[] ca = new double[batch];
            double[] cb = new double[batch];
            for (int i = 0; i < batch; i++) {
                idx[i] = r.nextInt(n);
                int t = r.nextInt(1000);
                tv[i] = t;
                ca[i] = sab[t];
                cb[i] = s1ab[t];
            }
            Tensor x0 = data.indexSelect(0, idx);
            Tensor eps = Tensor.randn(DType.F32, rng, sampleDims);
            Tensor xt = x0.mul(Tensor.of(DType.F32, ca, coefDims)).add(eps.mul(Tensor.of(DType.F32, cb, coefDims)));
            Tensor loss = net.apply(xt, Tensor.of(DType.F32, tv, batch)).sub(eps).square().mean();
            opt.zeroGrad();
            loss.backward();
            opt.step();
            if (it >= warm) {
                ms[it - warm] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return new Measure.Cell(workload, "batch " + batch, threads, ms, load.foreign());
    }
}
