package dev.distillery.distill.matching;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.NetworkDenoiser;
import dev.distillery.diffusion.denoise.NeuralDenoisers;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.distill.DistillSetup;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.ConditionalModel;
import dev.distillery.nn.models.ModelConfig;

/**
 * A trainable network seen as a {@link Denoiser} on the teacher's schedule: the student of every
 * method here, and the auxiliary "fake score" network of DMD. The network reads continuous time
 * t in [0, 1] in {@code ModelInput.t} (DistillSetup's convention) and predicts {@code kind}; all
 * predictions are differentiable in the parameters.
 *
 * <p>A student that starts from the teacher copies {@code setup.teacherNetwork()} and inherits the
 * teacher's prediction kind (read from a {@link NetworkDenoiser} teacher; x0 otherwise). A fresh
 * network is built from {@code setup.studentConfig()} and predicts x0, the only kind that can
 * produce data at {@code alpha(1) = 0}, where one-step generators start.
 */
public final class Student {
    private final Module module;
    private final ConditionalModel model;
    private final NetworkDenoiser denoiser;
    private final Prediction kind;
    private final NoiseSchedule schedule;

    public Student(Module module, Prediction kind, NoiseSchedule schedule) {
        if (!(module instanceof ConditionalModel cm)) {
            throw new IllegalArgumentException("student network " + module + " must be a ConditionalModel");
        }
        this.module = module;
        this.model = cm;
        this.denoiser = NeuralDenoisers.of(cm, kind, schedule);
        this.kind = kind;
        this.schedule = schedule;
    }

    /** Another network of this architecture (e.g. an EMA of this one) read the same way: same prediction kind and schedule. */
    public Student withModule(Module other) {
        return new Student(other, kind, schedule);
    }

    /**
     * The student of a method: a trainable copy of the teacher network when there is one and
     * {@code fromTeacher}, else a fresh x0-network from the student config with seed
     * {@code setup.seed() + seedOffset}.
     */
    public static Student create(DistillSetup setup, boolean fromTeacher, long seedOffset) {
        NoiseSchedule schedule = setup.teacher().schedule();
        if (fromTeacher && setup.teacherNetwork() != null) {
            Module m = setup.teacherNetwork().copy();
            m.unfreeze();
            m.train();
            Prediction kind = setup.teacher() instanceof NetworkDenoiser nd ? nd.kind() : Prediction.X0;
            return new Student(m, kind, schedule);
        }
        return new Student(build(setup.studentConfig(), setup.seed() + seedOffset), Prediction.X0, schedule);
    }

    /** A fresh module of {@code config} with another seed when the config has one (MLP configs). */
    static Module build(ModelConfig config, long seed) {
        if (config instanceof dev.distillery.nn.models.MlpConfig mlp) {
            return mlp.withSeed(seed).build();
        }
        return config.build();
    }

    public Module module() {
        return module;
    }

    public Denoiser denoiser() {
        return denoiser;
    }

    /** {@code x_hat(z, t)} with one time per sample {@code t: [B]}. */
    public Tensor x0(Tensor z, Tensor t) {
        return denoiser.x0(z, t, Condition.NONE);
    }

    /** {@code x_hat(z, t)} at one time for the whole batch. */
    public Tensor x0(Tensor z, double t) {
        return x0(z, Tensor.full(z.dtype(), t, z.dim(0)));
    }
}
