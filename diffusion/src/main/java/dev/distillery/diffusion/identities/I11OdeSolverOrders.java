package dev.distillery.diffusion.identities;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.sampling.EulerSampler;
import dev.distillery.diffusion.sampling.HeunSampler;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import java.util.SplittableRandom;

/**
 * I11 (MATH 4): on Gaussian data {@code N(m, s0^2)} the EDM probability-flow ODE
 * {@code dx/dsigma = (x - D)/sigma = sigma (x - m) / (s0^2 + sigma^2)} has the closed-form solution
 * {@code x(sigma) = m + (x(sigma_0) - m) sqrt((s0^2 + sigma^2)/(s0^2 + sigma_0^2))}; Euler's error halves
 * and Heun's quarters when the step count doubles. Inputs: m ~ U(-2, 2), s0 ~ U(0.3, 1), a start
 * point, a uniform sigma grid from 3 to 0.1 with N = 128 and 256 steps; the denoiser is the exact
 * one-component {@link GaussianMixtureDenoiser} (cosine schedule, through the EDM view).
 *
 * <p>This is a truncation-error identity, not a rounding one. The global error is
 * {@code e(N) = C h + D h^2 + O(h^3)} (Euler; Heun: {@code C h^2 + D h^3}) with {@code h = 2.9/N}, so
 * {@code log2(e(N)/e(2N)) = p + D h / (2 C ln 2) + O(h^2)}. For this ODE the coefficient is Lipschitz
 * with constant {@code L = max sigma/(s0^2 + sigma^2) <= 1/(2 s0) <= 1.7} and {@code |D/C|} is of order
 * L, so the deviation from p is at most about {@code 1.7 * 0.023 / 1.4 = 0.03} at N = 128; rounding
 * (about 1e-15 against errors above 1e-7) does not matter. Error: {@code max(|log2 ratio_Euler - 1|,
 * |log2 ratio_Heun - 2|)}; tolerance 0.1 (three times the estimate).
 */
public final class I11OdeSolverOrders implements Identity {
    @Override public String id() { return "I11"; }
    @Override public String name() { return "Euler is first order, Heun second, on the Gaussian PF-ODE"; }
    @Override public String equation() { return "e_Euler(N)/e_Euler(2N) -> 2, e_Heun(N)/e_Heun(2N) -> 4"; }
    @Override public double tolerance() { return 0.1; }

    @Override
    public double worstError(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double m = -2 + 4 * r.nextDouble();
        double s0 = 0.3 + 0.7 * r.nextDouble();
        double sigmaMax = 3.0;
        double sigmaMin = 0.1;
        double start = m + sigmaMax * 2 * Inputs.normal(r);
        var denoiser = new GaussianMixtureDenoiser(new GaussianMixture(new double[] {1.0}, new double[][] {{m}},
                new double[][] {{s0 * s0}}), ContinuousCosine.INSTANCE);
        double exact = m + (start - m) * Math.sqrt((s0 * s0 + sigmaMin * sigmaMin) / (s0 * s0 + sigmaMax * sigmaMax));
        double[] euler = new double[2];
        double[] heun = new double[2];
        for (int j = 0; j < 2; j++) {
            int n = 128 << j;
            double[] grid = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                grid[i] = sigmaMax + (sigmaMin - sigmaMax) * i / n;
            }
            Tensor x = Tensor.of(DType.F64, new double[] {start}, 1, 1);
            euler[j] = Math.abs(EulerSampler.sample(denoiser, x, grid, Condition.NONE, null, null).item() - exact);
            heun[j] = Math.abs(HeunSampler.sample(denoiser, x, grid, Condition.NONE, null, null).item() - exact);
        }
        double orderEuler = Math.log(euler[0] / euler[1]) / Math.log(2);
        double orderHeun = Math.log(heun[0] / heun[1]) / Math.log(2);
        return Math.max(Math.abs(orderEuler - 1), Math.abs(orderHeun - 2));
    }
}
