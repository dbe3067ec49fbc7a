package dev.distillery.diffusion.training;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.data.Toy2d;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.metrics.ModeCoverage;
import dev.distillery.diffusion.sampling.DdimSampler;

/**
 * Trains the 25-Gaussians MLP teacher ({@link Recipes#mlpTeacher25Gaussians}) and reports mode
 * coverage and the high-quality share of 2000 samples under DDPM-1000 and DDIM-50. Takes minutes:
 * not a CI test.
 *
 * <p><b>DDPM-1000 on the continuous schedule.</b> Ancestral sampling over the 1000 uniform times
 * {@code t_i = i / 1000} is DDIM with eta = 1 over those times: by I9 each such step is the DDPM
 * posterior {@code q(z_s | z_t, x_hat)} with variance {@code beta_tilde}, the DDPM sampler of the
 * discrete schedule {@code abar_i = alpha(i/1000)^2} (Algorithm 2 with {@code s_t^2 = beta_tilde}).
 * DDIM-50 is deterministic (eta = 0) over 50 uniform steps from t = 1 to 0.
 *
 * <pre>
 *   java --add-modules=jdk.incubator.vector -cp ... dev.distillery.diffusion.training.Gaussians25TeacherRun [steps] [seed]
 * </pre>
 */
public final class Gaussians25TeacherRun {
    private Gaussians25TeacherRun() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : Recipes.GAUSSIANS25_STEPS;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 0L;
        Recipes.Teacher t = Recipes.mlpTeacher25Gaussians(steps, seed);
        System.out.printf("trained %d steps in %.1f s%n", steps, t.seconds());
        report("DDIM-50", ddim50(t.denoiser(), 2000, seed + 1));
        report("DDPM-1000", ddpm1000(t.denoiser(), 2000, seed + 2));
    }

    /** Deterministic DDIM with {@code steps} uniform steps from t = 1 to 0. */
    public static Tensor ddim(Denoiser d, int n, int steps, long seed) {
        return DdimSampler.sample(d, Tensor.randn(DType.F32, seed, 0L, n, 2), uniformTimes(steps), 0.0, Condition.NONE,
                null, null, null);
    }

    /** {@link #ddim} with 50 steps. */
    public static Tensor ddim50(Denoiser d, int n, long seed) {
        return ddim(d, n, 50, seed);
    }

    /** DDPM ancestral sampling with 1000 steps = DDIM eta = 1 over t_i = i/1000 (see the class comment). */
    public static Tensor ddpm1000(Denoiser d, int n, long seed) {
        return DdimSampler.sample(d, Tensor.randn(DType.F32, seed, 0L, n, 2), uniformTimes(1000), 1.0, Condition.NONE,
                RngKey.of(seed + 7), null, null);
    }

    /** {@code 1, 1 - 1/n, ..., 0}. */
    public static double[] uniformTimes(int n) {
        double[] times = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            times[i] = 1.0 - i / (double) n;
        }
        times[n] = 0.0;
        return times;
    }

    /** Mode coverage of {@code [n, 2]} samples on {@link Toy2d#gaussians25Spec()}. */
    public static ModeCoverage.Result coverage(Tensor samples) {
        double[] f = samples.toDoubleArray();
        double[][] p = new double[f.length / 2][2];
        for (int i = 0; i < p.length; i++) {
            p[i][0] = f[2 * i];
            p[i][1] = f[2 * i + 1];
        }
        return ModeCoverage.of(p, Toy2d.gaussians25Spec());
    }

    private static void report(String name, Tensor samples) {
        ModeCoverage.Result r = coverage(samples);
        System.out.printf("%s: %d/25 modes, high-quality share %.4f%n", name, r.modesCovered(), r.highQualityFraction());
    }
}
