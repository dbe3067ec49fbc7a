package dev.distillery.distill.trajectory;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.NetworkDenoiser;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.distill.DistillSetup;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.ConditionalModel;
import dev.distillery.nn.models.ModelInput;

/**
 * A student network read as an x-prediction {@code x_hat(z_t, t, c)} in the VP view of the
 * teacher's schedule: the network sees the latent z and continuous time t in [0, 1] (the
 * DistillSetup convention), and its output is a prediction of kind {@link #kind} (eps, x or v,
 * MATH.md section 3) converted to x. Conditions map to the network input as labels -&gt; labels,
 * guidance -&gt; w (a rank-0 w is expanded to [B]) and secondTime -&gt; s.
 */
final class StudentNet {
    final Module module;
    final Prediction kind;
    final NoiseSchedule schedule;

    StudentNet(Module module, Prediction kind, NoiseSchedule schedule) {
        if (!(module instanceof ConditionalModel)) {
            throw new IllegalArgumentException("student " + module + " is not a ConditionalModel");
        }
        this.module = module;
        this.kind = kind;
        this.schedule = schedule;
    }

    /** The teacher network's prediction kind when the teacher is a {@link NetworkDenoiser}, else null. */
    static Prediction teacherKind(DistillSetup setup) {
        return setup.teacher() instanceof NetworkDenoiser nd ? nd.kind() : null;
    }

    /**
     * A student from {@code setup.studentConfig()}. With {@code fromTeacher} and a teacher network,
     * the teacher's weights are loaded (non-strict: conditionings the teacher lacks, such as w or
     * s, keep their fresh initialisation) and the student predicts what the teacher predicts;
     * otherwise it starts fresh and predicts {@code freshKind}.
     */
    static StudentNet create(DistillSetup setup, Prediction freshKind, boolean fromTeacher) {
        Module m = setup.studentConfig().build();
        Prediction kind = freshKind;
        if (fromTeacher && setup.teacherNetwork() != null) {
            m.loadStateDict(setup.teacherNetwork().stateDict(), false);
            Prediction tk = teacherKind(setup);
            kind = tk != null ? tk : freshKind;
        }
        return new StudentNet(m, kind, setup.teacher().schedule());
    }

    /** The raw network output at VP latent z and times t {@code [B]}. */
    Tensor raw(Tensor z, Tensor t, Condition c) {
        c = Condition.orNone(c);
        int b = z.dim(0);
        Tensor w = c.guidance();
        if (w != null && w.rank() == 0) {
            w = Tensor.full(z.dtype(), w.item(), b);
        }
        return ((ConditionalModel) module).forward(new ModelInput(z, t.to(z.dtype()),
                c.secondTime() == null ? null : c.secondTime().to(z.dtype()), c.labels(),
                w == null ? null : w.to(z.dtype())));
    }

    /** {@code x_hat(z, t, c)}, differentiable in the parameters and z. */
    Tensor x0(Tensor z, Tensor t, Condition c) {
        Tensor out = raw(z, t, c);
        return kind == Prediction.X0 ? out
                : kind.toX0(z, out, PerSample.alpha(schedule, t, z), PerSample.sigma(schedule, t, z));
    }

    /** A frozen deep copy (evaluation mode), e.g. the snapshot of a finished round or an EMA seed. */
    StudentNet frozenCopy() {
        return new StudentNet(module.copy().freeze().eval(), kind, schedule);
    }

    /** This student as a {@link Denoiser} (no graph is recorded when called under no-grad). */
    Denoiser denoiser() {
        StudentNet self = this;
        return new Denoiser() {
            @Override
            public NoiseSchedule schedule() {
                return self.schedule;
            }

            @Override
            public Tensor x0(Tensor z, Tensor t, Condition c) {
                return self.x0(z, t, c);
            }
        };
    }

    /** {@code x_hat} under no-grad, detached. */
    Tensor x0NoGrad(Tensor z, Tensor t, Condition c) {
        try (var ignored = Autograd.noGrad()) {
            return x0(z, t, c).detach();
        }
    }
}
