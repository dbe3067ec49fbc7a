package dev.distillery.distill.matching;

import dev.distillery.distill.Student;
import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.distill.Generator;

/**
 * Multistep sampling of an x0-student (ADD, Sauer et al. 2023, section 3.1; DMD2, Yin et al.
 * 2024b, section 4.5; consistency models' multistep sampler): with student times
 * {@code 1 = tau_0 > tau_1 > ... > tau_{n-1}}, {@code tau_i = 1 - i/n},
 * <pre>
 *   x = x_hat(z, tau_0);   for i = 1..n-1:  x = x_hat(alpha(tau_i) x + sigma(tau_i) xi_i, tau_i)
 * </pre>
 * 1, 2 and 4 steps use subsets of the 4-step times {1, 0.75, 0.5, 0.25} (ADD's 999, 749, 499, 249),
 * so a student trained on the 4-step times serves all three.
 *
 * <p>{@link #simulate} is DMD2's "backward simulation": the input a student sees at step i when it
 * is sampled by itself, used to train the later steps on the student's own earlier outputs.
 */
public record FewStepSampler(Student student, NoiseSchedule schedule) implements Generator {

    /** {@code tau_i = 1 - i/n}, i = 0..n-1. */
    public static double[] times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("steps = " + n + " must be >= 1");
        }
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1.0 - (double) i / n;
        }
        return t;
    }

    @Override
    public Tensor sample(Tensor noise, int steps, RngKey key) {
        try (var off = Autograd.noGrad()) {
            double[] tau = times(steps);
            Rng rng = new Rng(key);
            Tensor x = student.x0(noise, tau[0]);
            for (int i = 1; i < steps; i++) {
                x = student.x0(renoise(x, tau[i], rng), tau[i]);
            }
            return x.detach();
        }
    }

    /** {@code alpha(t) x + sigma(t) xi}, {@code xi ~ N(0, I)}. */
    public Tensor renoise(Tensor x, double t, Rng rng) {
        Tensor xi = Tensor.randn(x.dtype(), rng, x.shape().dims());
        return x.mul(schedule.alpha(t)).add(xi.mul(schedule.sigma(t)));
    }

    /**
     * The student's own input at step {@code i} of an {@code n}-step run started from {@code noise}
     * (no gradient): i = 0 gives the noise, otherwise {@code i} steps are run and the result is
     * re-noised to {@code tau_i}.
     */
    public Tensor simulate(Tensor noise, int i, int n, Rng rng) {
        double[] tau = times(n);
        try (var off = Autograd.noGrad()) {
            Tensor z = noise;
            for (int k = 0; k < i; k++) {
                z = renoise(student.x0(z, tau[k]), tau[k + 1], rng);
            }
            return z.detach();
        }
    }
}
