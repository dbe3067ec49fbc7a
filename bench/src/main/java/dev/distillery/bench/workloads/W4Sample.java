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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * W4, our side of {@code bench/torch/w4_sample.py}: sampling throughput on 10,000 2-D points with
 * the untrained W2 network, F32, under no-grad, in samples/s. The samplers and their network
 * evaluations (each a forward pass of the whole batch): ancestral DDPM over 1000 steps, DDIM
 * (eta 0) over 50, and a distilled student's 1-, 2- and 4-step multistep sampler at the times
 * 999 / 999, 499 / 999, 749, 499, 249 ({@code distill.matching.FewStepSampler}'s {@code 1 - i/n}
 * on the integer steps; an x0 from the network's eps at each time, re-noised to the next). The
 * update formulas are the script's, written with tensor ops; weights are untrained because only
 * the time is measured.
 *
 * <p>Timing, the script's rule with the same {@link Plan}: an untimed warm-up of 1-step student
 * runs for {@link Plan#warmSeconds} (at least two); a timed run is the sampler's first
 * {@code min(evaluations, maxEvals)} steps, scaled by {@code evaluations / timed} to a whole run
 * (every step costs the same: one network evaluation on the same batch and a few elementwise
 * operations); runs repeat until {@link Plan#budgetSeconds} of them (at least 1, at most
 * {@link Plan#maxReps}); samples/s = 10,000 / (the shortest run, scaled).
 *
 * <p>Usage: {@code W4Sample [--threads 1,2] [--quick]}; last stdout line JSON.
 */
public final class W4Sample {
    static final int N = 10_000;

    /** The samplers, teacher first, with their network evaluations per run. */
    public static final List<String> SAMPLERS = List.of("ddpm1000", "ddim50", "student4", "student2", "student1");

    /**
     * How much of each sampler is timed: the first {@code maxEvals} network evaluations of a run,
     * runs until {@code budgetSeconds} (at most {@code maxReps}), after {@code warmSeconds} of
     * warm-up. {@code distillery bench} passes the same numbers to {@code w4_sample.py}.
     */
    public record Plan(int maxEvals, double budgetSeconds, int maxReps, double warmSeconds) {
        /** The default: 20 evaluations a run, so that PyTorch on a reference BLAS (seconds an evaluation) finishes in minutes. */
        public static final Plan FULL = new Plan(20, 5.0, 10, 3.0);
        public static final Plan QUICK = new Plan(5, 1.0, 3, 1.0);
    }

    /** One sampler's measurement: each timed run's milliseconds (of {@code timedEvals} steps). */
    public record Result(String variant, int threads, int evals, int timedEvals, double[] ms, double foreign) {
        /** Samples per second of a whole run, from the shortest timed run scaled to all evaluations. */
        public double samplesPerSecond() {
            return N / (Measure.min(ms) * evals / timedEvals / 1e3);
        }

        /** The same from the median run. */
        public double medianSamplesPerSecond() {
            return N / (Measure.median(ms) * evals / timedEvals / 1e3);
        }

        public String json() {
            return String.format(Locale.ROOT, "{\"workload\":\"w4_sample\",\"variant\":\"%s\",\"threads\":%d,"
                            + "\"unit\":\"samples/s\",\"value\":%.4f,\"median\":%.4f,\"evals\":%d,\"timed_evals\":%d,"
                            + "\"points\":%d,\"ms\":{\"min\":%.4f,\"median\":%.4f,\"max\":%.4f,\"n\":%d},"
                            + "\"load\":{\"foreign_cpu\":%.3f}}",
                    variant, threads, samplesPerSecond(), medianSamplesPerSecond(), evals, timedEvals, N,
                    Measure.min(ms), Measure.median(ms), Measure.max(ms), ms.length, foreign);
        }
    }

    private W4Sample() {
    }

    public static void main(String[] args) {
        Plan plan = List.of(args).contains("--quick") ? Plan.QUICK : Plan.FULL;
        List<Result> results = new ArrayList<>();
        for (int th : Measure.ints(Measure.arg(args, "--threads", "1,2"))) {
            for (Result r : run(th, plan)) {
                System.err.printf(Locale.ROOT, "W4 %-8s threads=%d  %.1f samples/s (%d of %d evaluations timed, %d runs)"
                        + "  foreign=%.2f%n", r.variant(), th, r.samplesPerSecond(), r.timedEvals(), r.evals(),
                        r.ms().length, r.foreign());
                results.add(r);
            }
        }
        System.out.println("{\"bench\":\"w4_sample\",\"info\":{\"java\":\"" + System.getProperty("java.version")
                + "\",\"nproc\":" + Runtime.getRuntime().availableProcessors() + ",\"backend\":\"simd\"},\"rows\":["
                + results.stream().map(Result::json).collect(Collectors.joining(",")) + "]}");
    }

    /** Network evaluations of a whole run of the sampler. */
    public static int evals(String sampler) {
        return switch (sampler) {
            case "ddpm1000" -> 1000;
            case "ddim50" -> 50;
            case "student4" -> 4;
            case "student2" -> 2;
            case "student1" -> 1;
            default -> throw new IllegalArgumentException("unknown W4 sampler '" + sampler + "'; use one of " + SAMPLERS);
        };
    }

    /** Every sampler of {@link #SAMPLERS} at one thread count, after one warm-up. */
    public static List<Result> run(int threads, Plan plan) {
        SimdBackend be = new SimdBackend(threads);
        List<Result> out = new ArrayList<>();
        try (var scope = Backends.use(be); var ng = Autograd.noGrad()) {
            MlpDenoiser net = MlpConfig.w2().build();
            double[][] sch = Measure.schedule();
            long end = System.nanoTime() + (long) (plan.warmSeconds() * 1e9);
            for (int runs = 0; System.nanoTime() < end || runs < 2; runs++) { // untimed: JIT, first touch
                sample(net, sch, "student1", 1).sum().item();
            }
            for (String s : SAMPLERS) {
                int evals = evals(s);
                int timed = Math.min(evals, plan.maxEvals());
                Measure.prepareCell();
                Measure.Load load = Measure.Load.start();
                double[] ms = new double[plan.maxReps()];
                int n = 0;
                double spent = 0;
                while (n == 0 || (spent < plan.budgetSeconds() && n < plan.maxReps())) {
                    long t0 = System.nanoTime();
                    sample(net, sch, s, timed).sum().item();
                    double dt = (System.nanoTime() - t0) / 1e9;
                    ms[n++] = dt * 1e3;
                    spent += dt;
                }
                out.add(new Result(s, threads, evals, timed, Arrays.copyOf(ms, n), load.foreign()));
            }
        }
        return out;
    }

    /** The first {@code limit} steps of a sampler's run (all of them when limit >= its evaluations). */
    static Tensor sample(MlpDenoiser net, double[][] sch, String sampler, int limit) {
        return switch (sampler) {
            case "ddpm1000" -> ddpm(net, sch, limit);
            case "ddim50" -> ddim(net, sch[2], limit);
            default -> student(net, sch[2], evals(sampler), limit);
        };
    }

    static Tensor eps(MlpDenoiser net, Tensor x, int t) {
        return net.forward(x, Tensor.full(DType.F32, t, N));
    }

    static Tensor ddim(MlpDenoiser net, double[] ab, int limit) {
        Rng g = new Rng(1);
        Tensor x = Tensor.randn(DType.F32, g, N, 2);
        int done = 0;
        for (int t = 980; t >= 0 && done < limit; t -= 20, done++) {
            Tensor e = eps(net, x, t);
            double at = ab[t];
            double ap = t - 20 >= 0 ? ab[t - 20] : 1.0;
            Tensor x0 = x.sub(e.mul((float) Math.sqrt(1 - at))).div((float) Math.sqrt(at));
            x = x0.mul((float) Math.sqrt(ap)).add(e.mul((float) Math.sqrt(1 - ap)));
        }
        return x;
    }

    static Tensor ddpm(MlpDenoiser net, double[][] sch, int limit) {
        double[] betas = sch[0], alphas = sch[1], ab = sch[2];
        Rng g = new Rng(2);
        Tensor x = Tensor.randn(DType.F32, g, N, 2);
        for (int t = 999; t >= 0 && t > 999 - limit; t--) {
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

    /** The student times {@code 1000 (1 - i/n) - 1}, i = 0..n-1: 999, 749, 499, 249 for n = 4. */
    static int[] studentTimes(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1000 * (n - i) / n - 1;
        }
        return t;
    }

    /**
     * A few-step student's multistep sampler: at each student time an x0 from the network's eps,
     * {@code (x - sqrt(1 - abar_t) eps) / sqrt(abar_t)}, then (but after the last time) re-noised
     * to the next time s with fresh noise, {@code sqrt(abar_s) x0 + sqrt(1 - abar_s) z}.
     */
    static Tensor student(MlpDenoiser net, double[] ab, int n, int limit) {
        Rng g = new Rng(3);
        Tensor x = Tensor.randn(DType.F32, g, N, 2);
        int[] times = studentTimes(n);
        int steps = Math.min(n, limit);
        for (int i = 0; i < steps; i++) {
            int t = times[i];
            Tensor e = eps(net, x, t);
            x = x.sub(e.mul((float) Math.sqrt(1 - ab[t]))).div((float) Math.sqrt(ab[t]));
            if (i + 1 < steps) {
                int s = times[i + 1];
                x = x.mul((float) Math.sqrt(ab[s])).add(Tensor.randn(DType.F32, g, N, 2).mul((float) Math.sqrt(1 - ab[s])));
            }
        }
        return x;
    }
}
