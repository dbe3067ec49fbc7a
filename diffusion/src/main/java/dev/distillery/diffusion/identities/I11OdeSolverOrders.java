package dev.distillery.diffusion.identities;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.sampling.EulerSampler;
import dev.distillery.diffusion.sampling.HeunSampler;
import dev.distillery.diffusion.schedule.ContinuousCosine;

/**
 * I11 (MATH 4): on Gaussian data {@code N(m, s0^2)} the EDM probability-flow ODE
 * {@code dx/dsigma = (x - D)/sigma = sigma (x - m) / (s0^2 + sigma^2)} has the closed-form solution
 * {@code x(sigma) = m + (x(sigma_0) - m) sqrt((s0^2 + sigma^2)/(s0^2 + sigma_0^2))}; Euler's error halves
 * and Heun's quarters when the step count doubles. Input: m in [-2, 2], s0 in [0.3, 1] (edge 0.3, the
 * stiffest), and the start point {@code m +- r}, r in [0.5, 20] (the ODE is linear in {@code x - m},
 * so r only scales the errors; r = 0 would leave nothing to measure); a uniform sigma grid from 3
 * to 0.1 with N = 128 and 256 steps; the denoiser is the exact one-component
 * {@link GaussianMixtureDenoiser} (cosine schedule, through the EDM view).
 *
 * <p>This is a truncation-error identity, not a rounding one. The global error is
 * {@code e(N) = C h + D h^2 + O(h^3)} (Euler; Heun: {@code C h^2 + D h^3}) with {@code h = 2.9/N}, so
 * {@code log2(e(N)/e(2N)) = p + D h / (2 C ln 2) + O(h^2)}. For this ODE the coefficient is Lipschitz
 * with constant {@code L = max sigma/(s0^2 + sigma^2) <= 1/(2 s0) <= 1.7} and {@code |D/C|} is of order
 * L, so the deviation from p is at most about {@code 1.7 * 0.023 / 1.4 = 0.03} at N = 128; rounding
 * (about 1e-15 against errors above 1e-7) does not matter. Error: {@code max(|log2 ratio_Euler - 1|,
 * |log2 ratio_Heun - 2|)}; tolerance 0.1 (three times the estimate at the stiffest s0; the
 * estimate's constant is an order of magnitude, so it is not scaled down for larger s0).
 */
public final class I11OdeSolverOrders implements Identity<I11OdeSolverOrders.Input> {
    private static final double SIGMA_MAX = 3.0;
    private static final double SIGMA_MIN = 0.1;

    /**
     * @param m the data mean
     * @param s0 the data standard deviation
     * @param start the ODE's value at sigma = 3
     */
    public record Input(double m, double s0, double start) {
        @Override
        public String toString() {
            return "m = " + m + ", s0 = " + s0 + ", x(sigma = 3) = " + start;
        }
    }

    @Override public String id() { return "I11"; }
    @Override public String name() { return "Euler is first order, Heun second, on the Gaussian PF-ODE"; }
    @Override public String equation() { return "e_Euler(N)/e_Euler(2N) -> 2, e_Heun(N)/e_Heun(2N) -> 4"; }

    @Override
    public Input input(Choices c) {
        double m = c.real("m", -2, 2);
        double s0 = c.real("s0", 0.3, 1.0);
        double r = c.real("r", 0.5, 20);
        return new Input(m, s0, c.coin("below m") ? m - r : m + r);
    }

    @Override
    public double error(Input in) {
        double m = in.m();
        double s0 = in.s0();
        double start = in.start();
        var denoiser = new GaussianMixtureDenoiser(new GaussianMixture(new double[] {1.0}, new double[][] {{m}},
                new double[][] {{s0 * s0}}), ContinuousCosine.INSTANCE);
        double exact = m + (start - m) * Math.sqrt((s0 * s0 + SIGMA_MIN * SIGMA_MIN) / (s0 * s0 + SIGMA_MAX * SIGMA_MAX));
        double[] euler = new double[2];
        double[] heun = new double[2];
        for (int j = 0; j < 2; j++) {
            int n = 128 << j;
            double[] grid = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                grid[i] = SIGMA_MAX + (SIGMA_MIN - SIGMA_MAX) * i / n;
            }
            Tensor x = Tensor.of(DType.F64, new double[] {start}, 1, 1);
            euler[j] = Math.abs(EulerSampler.sample(denoiser, x, grid, Condition.NONE, null, null).item() - exact);
            heun[j] = Math.abs(HeunSampler.sample(denoiser, x, grid, Condition.NONE, null, null).item() - exact);
        }
        double orderEuler = Math.log(euler[0] / euler[1]) / Math.log(2);
        double orderHeun = Math.log(heun[0] / heun[1]) / Math.log(2);
        return Math.max(Math.abs(orderEuler - 1), Math.abs(orderHeun - 2));
    }

    @Override
    public double tolerance(Input in) {
        return 0.1;
    }
}
