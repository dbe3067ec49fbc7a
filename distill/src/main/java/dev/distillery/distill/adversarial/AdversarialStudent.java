package dev.distillery.distill.adversarial;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.distill.DistillSetup;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.distill.gan.DiscriminatorTrainer;
import dev.distillery.distill.matching.FewStepSampler;
import dev.distillery.distill.matching.InstanceNoise;
import dev.distillery.distill.Student;
import dev.distillery.distill.resume.Resumable;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;
import dev.distillery.nn.optim.Adam;
import dev.distillery.nn.optim.Ema;
import dev.distillery.nn.optim.LearningRate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training step that ADD and "adversarial loss on every step" share (MATH.md sections 6.12-6.13): a
 * student {@code x_hat(x_s, s)} at one of its n timesteps {@code s in {tau_0..tau_{n-1}}}, fed real
 * data noised to s; a discriminator update, then a student update on
 * <pre>
 *   L = L_G^adv(x_hat) + lambda c(t) ||x_hat - sg(x_hat_teacher(alpha_t x_hat + sigma_t eps', t))||^2
 * </pre>
 * with {@code c(t) = alpha_t} and t ~ U(tMin, tMax) (lambda = 0: adversarial only). When
 * {@code discriminatorMaxTime > 0}, both real and generated samples are re-noised to a shared
 * {@code t_d ~ U(0, discriminatorMaxTime)} before the (time-conditioned) discriminator sees them,
 * as a teacher-encoder discriminator reads noisy inputs.
 */
final class AdversarialStudent implements Resumable {
    final DistillSetup setup;
    final Student student;
    final FewStepSampler sampler;
    final Adam optimizer;
    /** The average the sampler evaluates, or null to sample the live student. */
    final Ema ema;
    final DiscriminatorTrainer trainer;
    final int studentSteps;
    final double distillWeight;
    final double tMin;
    final double tMax;
    final double discriminatorMaxTime;
    final NoiseSchedule schedule;

    AdversarialStudent(DistillSetup setup, Student student, double lr, double beta1, DiscriminatorTrainer trainer,
                       int studentSteps, double distillWeight, double tMin, double tMax, double discriminatorMaxTime) {
        this(setup, student, LearningRate.constant(lr), beta1, trainer, studentSteps, distillWeight, tMin, tMax,
                discriminatorMaxTime, 0.0, 1.0);
    }

    /**
     * @param lr       the student's learning-rate schedule
     * @param emaDecay  decay of a student EMA that the sampler evaluates (0: sample the live student)
     * @param startTime the time of the student's first step ({@link FewStepSampler#startTime()}; the papers: 1)
     */
    AdversarialStudent(DistillSetup setup, Student student, LearningRate lr, double beta1, DiscriminatorTrainer trainer,
                       int studentSteps, double distillWeight, double tMin, double tMax, double discriminatorMaxTime,
                       double emaDecay, double startTime) {
        if (setup.data() == null) {
            throw new IllegalArgumentException("adversarial students need real data (DistillSetup.data)");
        }
        this.setup = setup;
        this.student = student;
        this.schedule = setup.teacher().schedule();
        this.ema = emaDecay > 0 ? new Ema(student.module(), emaDecay, true) : null;
        this.sampler = new FewStepSampler(ema == null ? student : student.withModule(ema.model()), schedule, startTime);
        this.optimizer = new Adam(student.module().namedParameters(), lr, beta1, 0.999, 1e-8, 0, false);
        this.trainer = trainer;
        this.studentSteps = studentSteps;
        this.distillWeight = distillWeight;
        this.tMin = tMin;
        this.tMax = tMax;
        this.discriminatorMaxTime = discriminatorMaxTime;
    }

    /** Real data, its noisy version at a random student time, and the student's output there. */
    private record Draw(Tensor real, Tensor xHat) {
    }

    private Draw draw(Rng rng) {
        int b = setup.batchSize();
        Tensor real = setup.data().batch(b, rng).x().to(setup.dtype());
        double s = sampler.studentTimes(studentSteps)[rng.nextInt(studentSteps)];
        Tensor xs = sampler.renoise(real, s, rng);
        return new Draw(real, student.x0(xs, s));
    }

    /** Inputs for the discriminator: both re-noised to one shared t_d per sample when configured. */
    private DiscriminatorTrainer.Batch discriminatorBatch(Tensor real, Tensor fake, Rng rng) {
        return InstanceNoise.batch(schedule, real, fake, discriminatorMaxTime, rng);
    }

    Map<String, Double> step(Rng rng) {
        Map<String, Double> out = new LinkedHashMap<>(trainer.train(() -> {
            Draw d;
            try (var off = Autograd.noGrad()) {
                d = draw(rng);
            }
            return discriminatorBatch(d.real(), d.xHat().detach(), rng);
        }));
        Draw d = draw(rng);
        DiscriminatorTrainer.Batch gb = discriminatorBatch(d.real(), d.xHat(), rng);
        Tensor adv = trainer.generatorLoss(gb.fake(), gb.fakeCond());
        out.put("g_adv", adv.item());
        Tensor loss = adv;
        if (distillWeight > 0) {
            Tensor distill = distillation(d.xHat(), rng);
            out.put("distill", distill.item());
            loss = loss.add(distill.mul(distillWeight));
        }
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        if (ema != null) {
            ema.update(student.module());
        }
        return out;
    }

    /** The student, its Adam, its EMA (when there is one) and the discriminator's training. */
    @Override
    public void writeState(StateWriter out) {
        out.module("student", student.module()).optimizer("optimizer", optimizer);
        if (ema != null) {
            out.ema("ema", ema);
        }
        out.part("discriminator", trainer);
    }

    @Override
    public void readState(StateReader in) {
        in.module("student", student.module());
        in.optimizer("optimizer", optimizer);
        if (ema != null) {
            in.ema("ema", ema);
        }
        in.part("discriminator", trainer);
    }

    /** {@code mean_b c(t_b) ||x_hat_b - sg(teacher x0(alpha_t x_hat + sigma_t eps', t))||^2}, c(t) = alpha_t. */
    private Tensor distillation(Tensor xHat, Rng rng) {
        int b = xHat.dim(0);
        double[] t = new double[b];
        double[] a = new double[b];
        double[] sg = new double[b];
        for (int i = 0; i < b; i++) {
            t[i] = tMin + (tMax - tMin) * rng.nextDouble();
            a[i] = schedule.alpha(t[i]);
            sg[i] = schedule.sigma(t[i]);
        }
        Tensor alpha = Tensor.of(xHat.dtype(), a, b);
        Tensor target;
        try (var off = Autograd.noGrad()) {
            Tensor eps = Tensor.randn(xHat.dtype(), rng, xHat.shape().dims());
            Tensor xt = xHat.detach().mul(PerSample.broadcast(alpha, xHat))
                    .add(eps.mul(PerSample.broadcast(Tensor.of(xHat.dtype(), sg, b), xHat)));
            target = setup.teacher().x0(xt, Tensor.of(xHat.dtype(), t, b), Condition.NONE).detach();
        }
        return PerSample.squaredNorm(xHat.sub(target)).mul(alpha).mean();
    }
}
