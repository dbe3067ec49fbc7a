package dev.distillery.distill;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.NetworkDenoiser;
import dev.distillery.diffusion.denoise.NeuralDenoisers;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.ConditionalModel;
import dev.distillery.nn.models.ModelConfig;

/**
 * A trainable network seen as a {@link Denoiser} on the teacher's schedule: the student of every
 * method family (trajectory, matching, adversarial) and the auxiliary "fake score" network of DMD.
 * The network reads continuous time t in [0, 1] in {@code ModelInput.t} (DistillSetup's
 * convention) and predicts {@link #kind()} (eps, x or v, MATH.md section 3), which is converted to
 * the x-prediction {@code x_hat(z_t, t, c)} in the VP view; all predictions are differentiable in
 * the parameters and z. Conditions map to the network input as {@link NeuralDenoisers} maps them:
 * labels -&gt; labels, guidance -&gt; w (a rank-0 w is expanded to [B]) and secondTime -&gt; s.
 *
 * <p>Two ways to start from the teacher, one per method family:
 * <ul>
 *   <li>{@link #create(DistillSetup, boolean, long)} (distribution matching, adversarial): a
 *       trainable copy of {@code setup.teacherNetwork()} with the teacher's prediction kind (read
 *       from a {@link NetworkDenoiser} teacher; x0 otherwise). A fresh network is built from
 *       {@code setup.studentConfig()} and predicts x0, the only kind that can produce data at
 *       {@code alpha(1) = 0}, where one-step generators start.</li>
 *   <li>{@link #fromConfig(DistillSetup, Prediction, boolean)} (trajectory): a network of
 *       {@code setup.studentConfig()} that loads the teacher's weights non-strictly (conditionings
 *       the teacher lacks, such as w or s, keep their fresh initialisation).</li>
 * </ul>
 */
public final class Student {
    private final Module module;
    private final NetworkDenoiser denoiser;
    private final Prediction kind;
    private final NoiseSchedule schedule;

    public Student(Module module, Prediction kind, NoiseSchedule schedule) {
        if (!(module instanceof ConditionalModel cm)) {
            throw new IllegalArgumentException("student network " + module + " must be a ConditionalModel");
        }
        this.module = module;
        this.denoiser = NeuralDenoisers.of(cm, kind, schedule);
        this.kind = kind;
        this.schedule = schedule;
    }

    /** Another network of this architecture (e.g. an EMA of this one) read the same way: same prediction kind and schedule. */
    public Student withModule(Module other) {
        return new Student(other, kind, schedule);
    }

    /**
     * The student of a distribution-matching or adversarial method: a trainable copy of the
     * teacher network when there is one and {@code fromTeacher}, else a fresh x0-network from the
     * student config with seed {@code setup.seed() + seedOffset}.
     */
    public static Student create(DistillSetup setup, boolean fromTeacher, long seedOffset) {
        NoiseSchedule schedule = setup.teacher().schedule();
        if (fromTeacher && setup.teacherNetwork() != null) {
            Module m = setup.teacherNetwork().copy();
            m.unfreeze();
            m.train();
            Prediction tk = teacherKind(setup);
            return new Student(m, tk != null ? tk : Prediction.X0, schedule);
        }
        return new Student(build(setup.studentConfig(), setup.seed() + seedOffset), Prediction.X0, schedule);
    }

    /**
     * The student of a trajectory method: a network from {@code setup.studentConfig()}. With
     * {@code fromTeacher} and a teacher network, the teacher's weights are loaded (non-strict:
     * conditionings the teacher lacks, such as w or s, keep their fresh initialisation) and the
     * student predicts what the teacher predicts; otherwise it starts fresh and predicts
     * {@code freshKind}.
     */
    public static Student fromConfig(DistillSetup setup, Prediction freshKind, boolean fromTeacher) {
        Module m = setup.studentConfig().build();
        Prediction kind = freshKind;
        if (fromTeacher && setup.teacherNetwork() != null) {
            m.loadStateDict(setup.teacherNetwork().stateDict(), false);
            Prediction tk = teacherKind(setup);
            kind = tk != null ? tk : freshKind;
        }
        return new Student(m, kind, setup.teacher().schedule());
    }

    /** The teacher network's prediction kind when the teacher is a {@link NetworkDenoiser}, else null. */
    public static Prediction teacherKind(DistillSetup setup) {
        return setup.teacher() instanceof NetworkDenoiser nd ? nd.kind() : null;
    }

    /** A fresh module of {@code config} with another seed when the config has one (MLP configs). */
    public static Module build(ModelConfig config, long seed) {
        if (config instanceof dev.distillery.nn.models.MlpConfig mlp) {
            return mlp.withSeed(seed).build();
        }
        return config.build();
    }

    public Module module() {
        return module;
    }

    /** What the network predicts (MATH 3). */
    public Prediction kind() {
        return kind;
    }

    /** The teacher's schedule this student is read on. */
    public NoiseSchedule schedule() {
        return schedule;
    }

    /** This student as a {@link Denoiser} (no graph is recorded when called under no-grad). */
    public Denoiser denoiser() {
        return denoiser;
    }

    /** The raw network output at VP latent z and times t {@code [B]}. */
    public Tensor raw(Tensor z, Tensor t, Condition c) {
        return denoiser.raw(z, t, c);
    }

    /** {@code x_hat(z, t, c)}, differentiable in the parameters and z. */
    public Tensor x0(Tensor z, Tensor t, Condition c) {
        return denoiser.x0(z, t, c);
    }

    /** {@code x_hat(z, t)} with one time per sample {@code t: [B]}. */
    public Tensor x0(Tensor z, Tensor t) {
        return x0(z, t, Condition.NONE);
    }

    /** {@code x_hat(z, t)} at one time for the whole batch. */
    public Tensor x0(Tensor z, double t) {
        return x0(z, Tensor.full(z.dtype(), t, z.dim(0)));
    }

    /** {@code x_hat} under no-grad, detached. */
    public Tensor x0NoGrad(Tensor z, Tensor t, Condition c) {
        try (var ignored = Autograd.noGrad()) {
            return x0(z, t, c).detach();
        }
    }

    /** A frozen deep copy (evaluation mode), e.g. the snapshot of a finished round or an EMA seed. */
    public Student frozenCopy() {
        return new Student(module.copy().freeze().eval(), kind, schedule);
    }
}
