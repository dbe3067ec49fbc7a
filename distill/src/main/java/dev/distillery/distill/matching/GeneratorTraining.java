package dev.distillery.distill.matching;

import dev.distillery.distill.Student;
import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.distill.DistillSetup;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.distill.core.SurrogateLoss;
import dev.distillery.distill.resume.Resumable;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;
import dev.distillery.nn.optim.Adam;
import dev.distillery.nn.optim.LearningRate;

/**
 * What the score-based generator methods (SDS, the unbiased score estimator, DMD, DMD2) share: a
 * few-step x0-generator, its Adam optimizer, the draw of a generator sample at a random student
 * step (with DMD2's backward simulation for steps after the first), diffusion times
 * {@code t ~ U(tMin, tMax)} per sample, the teacher's x0 under no-grad, and the surrogate loss that
 * feeds a prescribed gradient into backpropagation (I18), averaged over elements like the
 * reference code's {@code 0.5 * F.mse_loss(x, sg(x - grad), reduction="mean")}.
 */
public final class GeneratorTraining implements Resumable {
    final DistillSetup setup;
    final Student generator;
    final FewStepSampler sampler;
    final Adam optimizer;
    final int studentSteps;
    final double tMin;
    final double tMax;
    final NoiseSchedule schedule;

    /** A diffusion time per sample with its coefficients, all {@code [B]}. */
    record Times(Tensor t, Tensor alpha, Tensor sigma) {
        /** {@code snr_b = alpha_b^2 / sigma_b^2} per sample (MATH.md section 3). */
        double[] snr() {
            double[] a = alpha.toDoubleArray();
            double[] s = sigma.toDoubleArray();
            double[] out = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i] * a[i] / (s[i] * s[i]);
            }
            return out;
        }
    }

    GeneratorTraining(DistillSetup setup, Student generator, double lr, double beta1, double beta2, int studentSteps,
                      double tMin, double tMax) {
        this(setup, generator, LearningRate.constant(lr), beta1, beta2, studentSteps, tMin, tMax, 1.0);
    }

    /** @param startTime the time of the generator's first step ({@link FewStepSampler#startTime()}; 1 in the papers) */
    GeneratorTraining(DistillSetup setup, Student generator, LearningRate lr, double beta1, double beta2,
                      int studentSteps, double tMin, double tMax, double startTime) {
        this.setup = setup;
        this.generator = generator;
        this.schedule = setup.teacher().schedule();
        this.sampler = new FewStepSampler(generator, schedule, startTime);
        this.optimizer = new Adam(generator.module().namedParameters(), lr, beta1, beta2, 1e-8,
                0, false);
        this.studentSteps = studentSteps;
        this.tMin = tMin;
        this.tMax = tMax;
    }

    /**
     * {@code B} generator samples, each from a random student step i in [0, studentSteps) whose
     * input is the student's own (no-grad) simulation of steps 0..i-1; differentiable in the
     * generator's parameters when grad is on.
     */
    Tensor generate(int b, Rng rng) {
        return generate(b, drawStep(rng), rng);
    }

    /** A student step i uniform in [0, studentSteps), shared by one batch. */
    int drawStep(Rng rng) {
        return studentSteps == 1 ? 0 : rng.nextInt(studentSteps);
    }

    /** {@code B} generator samples of student step {@code i} (as {@link #generate(int, Rng)} with i fixed). */
    Tensor generate(int b, int i, Rng rng) {
        Tensor noise = Tensor.randn(setup.dtype(), rng, setup.batchDims(b));
        Tensor z = sampler.simulate(noise, i, studentSteps, rng);
        return generator.x0(z, sampler.studentTimes(studentSteps)[i]);
    }

    /** As {@link #generate(int, Rng)} without gradient. */
    Tensor generateDetached(int b, Rng rng) {
        return generateDetached(b, drawStep(rng), rng);
    }

    /** As {@link #generate(int, int, Rng)} without gradient. */
    Tensor generateDetached(int b, int i, Rng rng) {
        try (var off = Autograd.noGrad()) {
            return generate(b, i, rng).detach();
        }
    }

    Times times(int b, Rng rng) {
        double[] t = new double[b];
        double[] a = new double[b];
        double[] s = new double[b];
        for (int i = 0; i < b; i++) {
            t[i] = tMin + (tMax - tMin) * rng.nextDouble();
            a[i] = schedule.alpha(t[i]);
            s[i] = schedule.sigma(t[i]);
        }
        return new Times(Tensor.of(setup.dtype(), t, b), Tensor.of(setup.dtype(), a, b), Tensor.of(setup.dtype(), s, b));
    }

    /** {@code x_t = alpha_t x + sigma_t eps}, detached from x. */
    static Tensor noised(Tensor x, Times tt, Tensor eps) {
        return x.detach().mul(PerSample.broadcast(tt.alpha(), x)).add(eps.mul(PerSample.broadcast(tt.sigma(), x)));
    }

    Tensor teacherX0(Tensor xt, Tensor t) {
        try (var off = Autograd.noGrad()) {
            return setup.teacher().x0(xt, t, Condition.NONE).detach();
        }
    }

    Tensor teacherEps(Tensor xt, Tensor t) {
        try (var off = Autograd.noGrad()) {
            return setup.teacher().eps(xt, t, Condition.NONE).detach();
        }
    }

    /** The surrogate loss with x-gradient {@code g / numel(x)} (mean reduction). */
    static Tensor surrogateMean(Tensor x, Tensor g) {
        return SurrogateLoss.withGradient(x, g).div(x.numel());
    }

    /**
     * DMD's normalised gradient (Yin et al. 2024, eq. 8) with per-sample alpha:
     * {@code alpha_t (x_hat_fake - x_hat_real) / mean_j |x - x_hat_real|_j}, detached.
     */
    static Tensor dmdGradient(Tensor x, Tensor x0Fake, Tensor x0Real, Times tt) {
        Tensor g = dev.distillery.distill.core.DmdGradient.fromX0(x, x0Fake, x0Real, 1.0);
        return g.mul(PerSample.broadcast(tt.alpha(), g)).detach();
    }

    /**
     * A constant {@code lr}, or with {@code decaySteps > 0} a cosine decay to 0 over that many steps
     * (Loshchilov and Hutter 2017): late updates shrink, so the jitter that the noisy per-sample
     * gradient of eq. 8 puts on a generator at equilibrium dies out (measured, docs/RESULTS.md, distribution-matching section).
     */
    static LearningRate learningRate(double lr, int decaySteps) {
        return decaySteps > 0 ? LearningRate.cosine(lr, 0, decaySteps, 0.0) : LearningRate.constant(lr);
    }

    /** The generator network and its Adam. */
    @Override
    public void writeState(StateWriter out) {
        out.module("generator", generator.module()).optimizer("optimizer", optimizer);
    }

    @Override
    public void readState(StateReader in) {
        in.module("generator", generator.module());
        in.optimizer("optimizer", optimizer);
    }

    /** Backward of {@code loss} and one generator update; returns the loss value. */
    double update(Tensor loss) {
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        return loss.item();
    }
}
