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
 * {@code T = tau_0 > tau_1 > ... > tau_{n-1}}, {@code tau_i = T (1 - i/n)},
 * <pre>
 *   x = x_hat(z, tau_0);   for i = 1..n-1:  x = x_hat(alpha(tau_i) x + sigma(tau_i) xi_i, tau_i)
 * </pre>
 * 1, 2 and 4 steps use subsets of the 4-step times {T, 3T/4, T/2, T/4} (ADD's 999, 749, 499, 249
 * for T = 1), so a student trained on the 4-step times serves all three.
 *
 * <p>The start time T is where the generator reads its noise z ~ N(0, I). The papers use the end
 * of the diffusion, T = 1. Under a schedule with {@code alpha(1) = 0} (the cosine schedule) a
 * generator initialised from the teacher is then a constant map (the teacher's x0 of pure noise is
 * the data mean), and training must create all of its dependence on z; an earlier T, where the
 * teacher's x0 of z is already a blurred picture of the data, gives the generator that dependence
 * from the start (measured for the GAN-based one-step students, docs/RESULTS.md, "generator start
 * time"). z is not distributed as x_T there; for a generator that does not matter, it is an input.
 *
 * <p>{@link #simulate} is DMD2's "backward simulation": the input a student sees at step i when it
 * is sampled by itself, used to train the later steps on the student's own earlier outputs.
 *
 * @param startTime T in (0, 1], the time of the first step
 */
public record FewStepSampler(Student student, NoiseSchedule schedule, double startTime) implements Generator {

    public FewStepSampler {
        if (!(startTime > 0 && startTime <= 1)) {
            throw new IllegalArgumentException("startTime = " + startTime + " must be in (0, 1] (1: the papers' pure noise)");
        }
    }

    /** The papers' sampler, starting from pure noise at T = 1. */
    public FewStepSampler(Student student, NoiseSchedule schedule) {
        this(student, schedule, 1.0);
    }

    /** {@code tau_i = 1 - i/n}, i = 0..n-1: the times of a sampler that starts at T = 1. */
    public static double[] times(int n) {
        return times(n, 1.0);
    }

    /** {@code tau_i = start (1 - i/n)}, i = 0..n-1. */
    public static double[] times(int n, double start) {
        if (n < 1) {
            throw new IllegalArgumentException("steps = " + n + " must be >= 1");
        }
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = start * (1.0 - (double) i / n);
        }
        return t;
    }

    /** This sampler's n-step times, {@code tau_i = startTime (1 - i/n)}. */
    public double[] studentTimes(int n) {
        return times(n, startTime);
    }

    @Override
    public Tensor sample(Tensor noise, int steps, RngKey key) {
        try (var off = Autograd.noGrad()) {
            double[] tau = studentTimes(steps);
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
        double[] tau = studentTimes(n);
        try (var off = Autograd.noGrad()) {
            Tensor z = noise;
            for (int k = 0; k < i; k++) {
                z = renoise(student.x0(z, tau[k]), tau[k + 1], rng);
            }
            return z.detach();
        }
    }
}
